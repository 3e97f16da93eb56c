"""Shared pieces of the web application: the audit log, service errors, base models."""
