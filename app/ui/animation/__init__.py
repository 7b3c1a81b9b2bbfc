"""The live look of a simulation run on the canvas, its docks and its export."""
