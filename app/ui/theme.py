"""Light and dark themes: the canvas colours and the application palette.

Health colours are the same in both themes (light fills with dark text) so a
red node reads the same on screen, on video and on paper; the rest of the
canvas follows the theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from app.visual import CASCADE_COLOURS as CASCADE_COLOURS  # re-exported
from app.visual import HEALTH_BORDER as HEALTH_BORDER
from app.visual import HEALTH_FILL as HEALTH_FILL
from app.visual import LOOP_COLOURS as LOOP_COLOURS

FLOW_COLOURS = ("#1E88E5", "#8E24AA", "#00897B", "#F4511E", "#6D4C41", "#3949AB")


@dataclass(frozen=True)
class Theme:
    """Every colour the canvas paints with."""

    name: str
    background: str
    grid: str
    node_fill: str
    node_border: str
    node_text: str
    health_text: str
    muted_text: str
    edge: str
    critical: str
    label_fill: str
    selection: str
    hover: str
    queue: str
    stage_fill: str
    stage_border: str
    legend_fill: str
    dark: bool = False
    cascade: dict[str, str] = field(default_factory=lambda: dict(CASCADE_COLOURS))
    loop: dict[str, str] = field(default_factory=lambda: dict(LOOP_COLOURS))

    def colour(self, name: str) -> QColor:
        return QColor(getattr(self, name))


LIGHT = Theme(
    name="light", background="#F7F8FA", grid="#D9DEE3", node_fill="#FFFFFF", node_border="#9E9E9E",
    node_text="#1F2A30", health_text="#1F2A30", muted_text="#5F6B73", edge="#455A64", critical="#1F2A30",
    label_fill="#FFFFFF", selection="#1E88E5", hover="#64B5F6", queue="#1565C0", stage_fill="#E8EFF6",
    stage_border="#90A4AE", legend_fill="#FFFFFF",
)
DARK = Theme(
    name="dark", background="#1B1F24", grid="#2C333B", node_fill="#2A3139", node_border="#7B8794",
    node_text="#ECEFF1", health_text="#1F2A30", muted_text="#A7B1BA", edge="#B0BEC5", critical="#ECEFF1",
    label_fill="#232A31", selection="#42A5F5", hover="#90CAF9", queue="#64B5F6", stage_fill="#22303C",
    stage_border="#5C7080", legend_fill="#232A31", dark=True,
    cascade={"red": "#EF5350", "orange": "#FFA726", "dashed": "#CE93D8"},
    loop={"reinforcing": "#EF5350", "balancing": "#66BB6A"},
)
THEMES = {"light": LIGHT, "dark": DARK}


def theme_named(name: str) -> Theme:
    return THEMES.get(name, LIGHT)


def apply_app_theme(app: QApplication, theme: Theme) -> None:
    """Fusion style with a palette that matches the canvas."""
    app.setStyle("Fusion")
    if not theme.dark:
        app.setPalette(app.style().standardPalette())
        return
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#22272E", QPalette.ColorRole.WindowText: "#E6EAED",
        QPalette.ColorRole.Base: "#1B1F24", QPalette.ColorRole.AlternateBase: "#262C33",
        QPalette.ColorRole.ToolTipBase: "#2A3139", QPalette.ColorRole.ToolTipText: "#E6EAED",
        QPalette.ColorRole.Text: "#E6EAED", QPalette.ColorRole.Button: "#2A3139",
        QPalette.ColorRole.ButtonText: "#E6EAED", QPalette.ColorRole.BrightText: "#FF8A80",
        QPalette.ColorRole.Highlight: "#1E88E5", QPalette.ColorRole.HighlightedText: "#FFFFFF",
        QPalette.ColorRole.Link: "#64B5F6", QPalette.ColorRole.PlaceholderText: "#7B8794",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6B7580"))
    app.setPalette(palette)
