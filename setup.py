"""Only what pyproject.toml cannot say: the folder ``resources/`` installs as the package
``cascade_board`` (its data folders as its subpackages, so setuptools ships them as package
data without a warning) beside ``app`` and ``models``. Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, find_packages, setup

RESOURCES = ["cascade_board", *(f"cascade_board.{name}" for name in find_namespace_packages(where="resources"))]

setup(
    packages=[*find_packages(include=["app", "app.*", "models", "models.*"]), *RESOURCES],
    package_dir={"cascade_board": "resources"},
)
