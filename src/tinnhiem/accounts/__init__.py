"""User accounts of the people who run a vote."""
