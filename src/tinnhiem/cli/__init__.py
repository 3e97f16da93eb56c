"""The ``tinnhiem`` command line."""
