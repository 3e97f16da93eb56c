"""Verifiable electronic ballots: the cryptographic core (pure, no Django)."""
