"""User text shown by Qt as text, never as markup.

Qt takes any string that looks like HTML as rich text (``Qt::AutoText``), so a
label ``<img src="file:...">`` in a tooltip would load and draw a local file.
Tooltips and the static ``QMessageBox`` functions have no text-format
setting: ``plain_markup`` escapes text that Qt would take for markup and
wraps it in markup we build ourselves, so what shows is the text as typed
(text Qt takes as plain stays as it is). Labels that show user text use
``setTextFormat(Qt.TextFormat.PlainText)`` instead.
"""

from __future__ import annotations

import html

from PySide6.QtGui import Qt


def plain_markup(text: str) -> str:
    """``text`` as Qt will show exactly these characters, line breaks kept."""
    if not Qt.mightBeRichText(text):  # what Qt::AutoText shows as plain text anyway
        return text
    body = html.escape(text, quote=False).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{body}</p>"


plain_tooltip = plain_markup
"""A tooltip is the usual place: the name says why it is there."""
