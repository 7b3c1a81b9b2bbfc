"""Recording a case study: the recording session, the reveal walk, the pace
bar, the presenter notes window and their window hook-up
(``app.ui.present.install.install_recording``; see docs/recording.md)."""
