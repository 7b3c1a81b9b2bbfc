"""The editor's own docks: palette, inspector, layers and outline."""
