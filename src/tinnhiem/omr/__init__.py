"""Optical mark reading of Tín Nhiệm ballot papers (pure numpy/OpenCV, no Django)."""
