"""Bỏ phiếu điện tử."""
