"""The handout's sections, each built by small ``build_*`` functions."""
