"""Tín Nhiệm: exact, auditable confidence votes for Vietnam's political system."""

__version__ = "0.1.0"
