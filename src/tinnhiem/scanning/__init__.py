"""Quét phiếu."""
