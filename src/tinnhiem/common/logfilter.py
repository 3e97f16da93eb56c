"""A logging filter that keeps confidential data out of every log.

Installed on every handler of ``LOGGING``. Whatever a logger is handed, what
reaches the handler has:

* no request object: Django's ``django.request`` and ``django.server``
  loggers attach the request (the development server its socket), and a
  handler could render its body, cookies or POST data; the filter puts a stub
  in its place with the method and path only;
* no query string: ``/path?digits=123`` is logged as ``/path?…``;
* no result figure or ballot content: the value after a confidential key
  (``digits``, ``crossed_out``, counts and percentages of a result, the tally,
  a request ``body`` or ``payload``, a ``password`` or ``token``) is replaced
  by ``[ẩn]``, in the message and in the text of an exception's traceback.

The application itself logs no such thing; the filter is the guarantee that a
library, an exception message or a future log call cannot either.
"""

from __future__ import annotations

import logging
import re
from typing import Any

REDACTED = "[ẩn]"

# Keys whose values are ballot content, result figures or secrets.
CONFIDENTIAL_KEYS = (
    "digits",
    "crossed_out",
    "added_names",
    "other_writing",
    "payload",
    "body",
    "post",
    "votes",
    "counts",
    "tally",
    "result",
    "results",
    "classes",
    "ratio",
    "percent",
    "percent_vi",
    "high",
    "confidence",
    "low",
    "no_confidence",
    "cao",
    "tin_nhiem",
    "thap",
    "khong_tin_nhiem",
    "valid",
    "invalid",
    "password",
    "token",
    "otp_token",
    "secret",
    "key",
    "csrfmiddlewaretoken",
)

_KEY = "|".join(sorted(CONFIDENTIAL_KEYS, key=len, reverse=True))
# key=value, key: value, "key": value, 'key': value — the value being a quoted
# string, a bracketed or braced group (one level), a number (with a decimal
# comma too: "58,33") or a bare token.
_PAIR = re.compile(
    r"""(?P<key>["']?\b(?:""" + _KEY + r""")\b["']?\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\[[^\]]*\]|\{[^}]*\}"""
    r"""|-?\d+(?:[.,]\d+)*|[^\s,;&)}\]]+)""",
    re.IGNORECASE,
)
# A URL's query string: "?" up to the next space or quote.
_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']+")


def redact(text: str) -> str:
    """``text`` without query strings and without confidential values."""
    text = _QUERY.sub(r"\1?…", text)
    return _PAIR.sub(lambda m: m.group("key") + REDACTED, text)


class _RequestStub:
    """What a handler may know of a request: its method and its path."""

    def __init__(self, request: Any) -> None:
        self.method = str(getattr(request, "method", "") or "")
        self.path = str(getattr(request, "path", "") or "")
        self.META: dict[str, str] = {}
        self.GET: dict[str, str] = {}
        self.POST: dict[str, str] = {}
        self.COOKIES: dict[str, str] = {}
        self.body = b""

    def __repr__(self) -> str:
        return f"<request {self.method} {self.path}>"

    def get_full_path(self) -> str:
        return self.path

    def build_absolute_uri(self, location: str | None = None) -> str:
        return location or self.path


class ConfidentialFilter(logging.Filter):
    """Redact every record (see the module's documentation); never drop one."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, _RequestStub):
            record.request = _RequestStub(request)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call still reaches the log, unformatted
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
