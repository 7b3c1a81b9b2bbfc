"""Tests of the shipped example boards (the pattern library)."""
