"""User text shown by Qt as text, never as markup.

Qt takes any string that looks like HTML as rich text (``Qt::AutoText``), so a
label ``<img src="file:...">`` in a tooltip would load and draw a local file.
Tooltips have no text-format setting: ``plain_tooltip`` escapes the user text
and wraps it in markup we build ourselves, so what shows is the text as typed.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows exactly these characters, line breaks kept."""
    if not text:
        return ""
    body = html.escape(text, quote=False).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{body}</p>"
