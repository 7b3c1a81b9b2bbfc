"""One module per CLI subcommand; each has ``NAME``, ``HELP``, ``add_arguments``
and ``execute``. ``app.cli.COMMANDS`` lists them."""
