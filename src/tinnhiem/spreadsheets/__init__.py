"""Spreadsheet import and export of agencies, officials and summoned members (pure)."""
