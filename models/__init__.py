"""Qt-free domain of Cascade Board: the board, its file format, analysis,
the HUMMBL catalog, interventions and the simulation."""
