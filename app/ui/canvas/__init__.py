"""The canvas: a scene that mirrors the board, its items, and the view."""
