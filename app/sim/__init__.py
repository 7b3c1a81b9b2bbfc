"""The simulation off the GUI thread: a worker thread running the engine, its
controller, live failures and the views the animation draws from. Nothing here
imports ``app.ui``; ``app.ui.animation.install`` puts it into the window."""
