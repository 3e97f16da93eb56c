"""Conferences: people on the ballot, summoned members, check-in, quorum gate."""
