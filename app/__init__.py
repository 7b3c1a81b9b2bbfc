"""The Cascade Board program: entry point, CLI, Qt UI, simulation worker, exporters."""

__version__ = "0.1.0"
