"""Phát hành văn bản."""
