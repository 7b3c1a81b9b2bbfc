"""What the bundle runs: ``app.main.main()``, the same entry point as the
``cascade-board`` script that pip installs (pyproject.toml). Kept outside app/
so PyInstaller does not put app/ itself on the import path."""

import sys

from app.main import main

if __name__ == "__main__":
    sys.exit(main())
