"""The bundle runs under the project's Content-Security-Policy (no inline script, no eval).

The page and the bundle are served from an address that only exists inside the
browser (``page.route``): nothing leaves the machine, as in the hall.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Route

from tests.evote_js.conftest import BUNDLE
from tinnhiem.crypto.ballot import Ballot, check_ballot
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.simulate import make_election

pytestmark = pytest.mark.e2e

ORIGIN = "http://ballot.invalid"
# The directives of CONTENT_SECURITY_POLICY in tinnhiem.config.settings.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The input travels as a data block; an inline script shows that the policy is in force.
PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Phiếu</title>
<script id="input" type="application/json">{input}</script>
<script>window.inlineRan = true;</script>
</head><body><script src="/ballot.js"></script><script src="/driver.js"></script></body></html>"""
# Runs as the page's own script (page.evaluate would lift the eval ban: CDP allows it).
DRIVER = """
const input = JSON.parse(document.getElementById("input").textContent);
let evalBlocked = false;
try { eval("1"); } catch (e) { evalBlocked = e.name; }
window.TinNhiemBallot.encryptBallot(input.election, input.credential, input.choices).then(
  (out) => { document.body.dataset.result = JSON.stringify({ evalBlocked, out }); },
  (err) => { document.body.dataset.result = JSON.stringify({ evalBlocked, error: String(err) }); },
);
"""


def test_bundle_works_under_the_project_csp(browser: Browser) -> None:
    setup, _, cards = make_election(
        uuid="evote-js-csp", persons=3, voters=1, rng=SeededRandom("evote-js-csp")
    )
    data = {
        "election": setup.election.to_json(),
        "credential": cards[0].credential,
        "choices": ["thap", "cao", "tin_nhiem"],
    }
    page_html = PAGE.replace("{input}", json.dumps(data).replace("<", "\\u003c"))
    files = {
        "/": ("text/html", page_html.encode("utf-8")),
        "/ballot.js": ("text/javascript", BUNDLE.read_bytes()),
        "/driver.js": ("text/javascript", DRIVER.encode("utf-8")),
    }
    context = browser.new_context()
    errors: list[str] = []

    def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path not in files:
            route.abort()
            return
        kind, body = files[path]
        headers = {"Content-Type": f"{kind}; charset=utf-8", "Content-Security-Policy": POLICY}
        route.fulfill(status=200, headers=headers, body=body)

    try:
        context.route(f"{ORIGIN}/**", serve)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{ORIGIN}/")
        try:
            page.wait_for_selector("body[data-result]", state="attached", timeout=15_000)
        except Exception:
            raise AssertionError(errors) from None
        outcome = json.loads(page.evaluate("() => document.body.dataset.result"))
        assert page.evaluate("() => window.inlineRan === undefined")
        assert outcome["evalBlocked"] == "EvalError"
        assert "error" not in outcome, outcome
        check_ballot(setup.election, Ballot.from_json(outcome["out"]["ballot"], setup.election))
        # The only complaint is the one the test provoked: the inline script (the refused
        # eval throws the EvalError checked above).
        assert len(errors) == 1, errors
        assert "inline script" in errors[0], errors
    finally:
        context.close()
