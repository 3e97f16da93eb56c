"""Fixtures of the tests of the ballot bundle (``web/evote-ballot``).

The committed bundle ``src/tinnhiem/evote/static/evote/ballot.js`` is loaded
into a blank page of Debian's Chromium (no server: the voter's device works
offline), and ``window.TinNhiemBallot`` is driven from Python. The ballots it
makes are checked by :mod:`tinnhiem.crypto` exactly as the server checks them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "src" / "tinnhiem" / "evote" / "static" / "evote" / "ballot.js"
PROJECT = ROOT / "web" / "evote-ballot"

# Calls of the API from Python. ``stream`` is hex of the randomness to inject (known-answer
# tests only); the page reads it in order, as SeededRandom does in Python.
ENCRYPT = """async ([election, credential, choices, stream]) => {
  let options;
  if (stream !== null) {
    const bytes = Uint8Array.from(stream.match(/../g).map((h) => parseInt(h, 16)));
    let offset = 0;
    options = { randomBytes: (n) => {
      if (offset + n > bytes.length) throw new Error("injected randomness exhausted");
      const out = bytes.slice(offset, offset + n);
      offset += n;
      return out;
    } };
  }
  return await window.TinNhiemBallot.encryptBallot(election, credential, choices, options);
}"""

ENCRYPT_ERROR = """async ([election, credential, choices]) => {
  try {
    await window.TinNhiemBallot.encryptBallot(election, credential, choices);
    return null;
  } catch (e) {
    return { name: e.name, code: e.code ?? null, message: e.message };
  }
}"""


class BallotPage:
    """A blank page with the committed bundle loaded, and its console errors."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.goto("about:blank")
        page.add_script_tag(path=str(BUNDLE))

    def encrypt(
        self,
        election: Any,
        credential: str,
        choices: list[str] | tuple[str, ...],
        stream: bytes | None = None,
    ) -> dict[str, Any]:
        """``TinNhiemBallot.encryptBallot(...)``, awaited."""
        result = self.page.evaluate(
            ENCRYPT, [election, credential, list(choices), None if stream is None else stream.hex()]
        )
        assert isinstance(result, dict)
        return result

    def encrypt_error(self, election: Any, credential: str, choices: Any) -> dict[str, Any] | None:
        """The error ``encryptBallot`` rejects with (``None`` if it resolves)."""
        result = self.page.evaluate(ENCRYPT_ERROR, [election, credential, choices])
        assert result is None or isinstance(result, dict)
        return result


@pytest.fixture(scope="module")
def ballot_page(browser: Browser) -> Iterator[BallotPage]:
    context = browser.new_context()
    try:
        yield BallotPage(context.new_page())
    finally:
        context.close()
