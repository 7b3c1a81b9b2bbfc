"""User text in tooltips is text: a label that looks like HTML loads nothing."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QHelpEvent, QImage, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import QApplication, QLabel, QToolTip

from app.ui.plain import plain_tooltip


def images_in(markup: str) -> list[str]:
    """The image sources a rich-text rendering of ``markup`` would load."""
    document = QTextDocument()
    document.setHtml(markup)
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fmt = iterator.fragment().charFormat()
            if fmt.isImageFormat():
                found.append(QTextImageFormat(fmt).name())
            iterator += 1
        block = block.next()
    return found


def test_plain_tooltip_escapes_markup():
    assert images_in('<img src="x.png">') == ["x.png"]  # what Qt does with raw text
    assert images_in(plain_tooltip('<img src="x.png">')) == []
    assert plain_tooltip("") == ""


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform, showing the tip
def test_hovering_a_node_labelled_with_an_img_tag_loads_nothing(qtbot, empty_window, tmp_path):
    picture = tmp_path / "secret.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(picture))
    label = f'<img src="file://{picture}">'
    window = empty_window
    node_id = window.editor.add_node("service", label, 0.0, 0.0)
    item = window.scene.item_for(node_id)
    where = window.view.mapFromScene(item.sceneBoundingRect().center())
    event = QHelpEvent(QHelpEvent.Type.ToolTip, where, window.view.viewport().mapToGlobal(where))
    QApplication.sendEvent(window.view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == plain_tooltip(f"{label} (Service)")
    tips = [w for w in QApplication.topLevelWidgets() if isinstance(w, QLabel) and w.isVisible()
            and w.metaObject().className() == "QTipLabel"]
    assert tips
    assert images_in(tips[0].text()) == []
    document = QTextDocument()
    document.setHtml(tips[0].text())
    assert document.toPlainText() == f"{label} (Service)"
    QToolTip.hideText()
