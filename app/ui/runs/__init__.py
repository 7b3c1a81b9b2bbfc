"""The background-run service, its settings, progress and the Sweep panel (docs/runs.md)."""
