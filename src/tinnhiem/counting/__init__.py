"""Counting paper ballots: independent double entry, reconciliation,
confirmation, results, conference-record export and import."""
