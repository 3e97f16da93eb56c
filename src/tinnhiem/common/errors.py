"""Errors raised by services: a stable code and a message for people."""

from __future__ import annotations


class ServiceError(Exception):
    """A refused action. ``code`` is stable (tests assert it); ``message`` is
    translated text shown to the user as it is."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
