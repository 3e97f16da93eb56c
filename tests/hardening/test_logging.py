"""No confidential data in the logs: every handler of ``LOGGING`` carries the
filter, and the filter takes out request objects, query strings, ballot
content, result figures and secrets, in messages and in tracebacks."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tinnhiem.accounts.models import User
from tinnhiem.common.logfilter import REDACTED, ConfidentialFilter, redact
from tinnhiem.conferences.models import Conference


def record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, None)
    for k, v in extra.items():
        setattr(rec, k, v)
    return rec


def test_every_handler_carries_the_filter() -> None:
    assert settings.LOGGING["filters"]["confidential"]["()"] == (
        "tinnhiem.common.logfilter.ConfidentialFilter"
    )
    for name, handler in settings.LOGGING["handlers"].items():
        assert "confidential" in handler.get("filters", []), name
    loggers = [logging.getLogger(), logging.getLogger("django"), logging.getLogger("django.server")]
    # The handlers of the configuration (pytest adds capturing handlers of its own).
    live = [h for lg in loggers for h in lg.handlers if type(h).__module__.startswith("logging")]
    assert live
    for handler in live:
        assert any(isinstance(f, ConfidentialFilter) for f in handler.filters), handler


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"POST /kiem-phieu/3/luot/1/luu/?digits=123 HTTP/1.1" 400 31',
            '"POST /kiem-phieu/3/luot/1/luu/?… HTTP/1.1" 400 31',
        ),
        ('payload={"digits": "1213", "issued": true}', f"payload={REDACTED}"),
        ("digits='3321' crossed_out=[2, 5]", f"digits={REDACTED} crossed_out={REDACTED}"),
        (
            '{"high": 7, "confidence": 4, "low": 1}',
            f'{{"high": {REDACTED}, "confidence": {REDACTED}, "low": {REDACTED}}}',
        ),
        ("percent_vi=58,33 %", f"percent_vi={REDACTED} %"),
        ("password=hunter2-dai token: 123456", f"password={REDACTED} token: {REDACTED}"),
        ("Not Found: /hoi-nghi/9/", "Not Found: /hoi-nghi/9/"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_the_request_object_is_replaced_by_its_method_and_path() -> None:
    class Request:
        method = "POST"
        path = "/kiem-phieu/3/luot/1/luu/"
        body = b'{"digits": "123"}'
        POST = {"digits": "123"}  # noqa: RUF012
        COOKIES = {"sessionid": "bi-mat"}  # noqa: RUF012

    rec = record("Bad Request: %s", Request.path, request=Request(), status_code=400)
    assert ConfidentialFilter().filter(rec) is True
    assert rec.request.method == "POST"  # type: ignore[attr-defined]
    assert rec.request.path == Request.path  # type: ignore[attr-defined]
    assert rec.request.body == b""  # type: ignore[attr-defined]
    assert rec.request.POST == {}
    assert rec.request.COOKIES == {}
    assert rec.getMessage() == f"Bad Request: {Request.path}"


def test_a_traceback_is_kept_but_its_figures_are_not() -> None:
    try:
        raise ValueError("tally mismatch: votes=[7, 4, 1] digits=1213")
    except ValueError:
        import sys

        rec = record("Internal Server Error: %s", "/x/")
        rec.exc_info = sys.exc_info()
    ConfidentialFilter().filter(rec)
    assert rec.exc_text is not None
    assert "Traceback" in rec.exc_text
    assert "ValueError" in rec.exc_text
    assert "7, 4, 1" not in rec.exc_text
    assert "1213" not in rec.exc_text


@pytest.fixture
def django_log() -> Iterator[io.StringIO]:
    """What the ``django`` loggers write through the configured handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ConfidentialFilter())
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    logger = logging.getLogger("django")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def test_a_refused_ballot_leaves_neither_its_content_nor_its_query_in_the_log(
    counting_conference: Conference,
    clerk1: User,
    client_for: Callable[[User | None], Client],
    django_log: io.StringIO,
) -> None:
    client = client_for(clerk1)
    url = reverse("counting:entry_save", args=[counting_conference.pk, 2])  # not their pass
    response = client.post(
        url + "?digits=9876",
        data='{"number": 1, "digits": "9876"}',
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )
    assert 400 <= response.status_code < 500
    text = django_log.getvalue()
    assert "django.request" in text  # the refusal is logged ...
    assert "9876" not in text  # ... without the ballot
