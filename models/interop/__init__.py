"""Bring your own system: importers and exporters (docs/INTEROP.md).

Qt-free. ``importer.import_paths`` reads traces, diagrams and deployment files
into a board; ``exporters`` writes a board as Mermaid, GraphML, DOT or draw.io.
"""
