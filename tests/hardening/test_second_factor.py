"""The second factor (TOTP through django-otp): any user may enrol from the
security page (QR code as inline SVG, the key for typing by hand); a user with
a confirmed device gives a code after the password before any page opens;
codes are single-use and wrong ones are throttled; enrolling and removing are
audited. With ``TINNHIEM_REQUIRE_2FA`` on, administrators and committee heads
must enrol before anything else; it is off by default.

Codes are computed with django-otp's own TOTP (``django_otp.oath.totp``) from
the device's key, as the phone app would."""

from __future__ import annotations

import re
from base64 import b32encode
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from tests.hardening.conftest import post_login
from tinnhiem.accounts.models import User
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Conference

SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")
HOME = reverse("campaigns:home")


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the phone shows now (or ``steps_ahead`` periods later)."""
    device.refresh_from_db()
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + steps_ahead,
    )
    return f"{value:0{device.digits}d}"


def wrong(device: TOTPDevice) -> str:
    right = code(device)
    return "000000" if right != "000000" else "111111"


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Tín Nhiệm", confirmed=True)


def audit_actions(user: User) -> list[str]:
    return list(
        AuditEntry.objects.filter(actor_id=user.pk, action__startswith="account.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


# -------------------------------------------------------------- enrolment


def test_the_security_page_shows_a_qr_code_and_the_key_and_keeps_them_on_reload(
    organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(organiser)
    first = client.get(SETUP)
    assert first.status_code == 200
    html = first.content.decode()
    assert '<svg width="' in html
    assert 'class="qr-code"' in html
    device = TOTPDevice.objects.get(user=organiser)
    assert not device.confirmed
    key = b32encode(device.bin_key).decode().rstrip("=")
    shown = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    assert shown in html
    assert "Bật xác thực hai bước" in html
    # No external service draws the code: nothing but the page itself.
    assert "http" not in html[html.index("<svg") : html.index("</svg>")].replace(
        "http://www.w3.org", ""
    )
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=organiser).count() == 1
    assert shown in client.get(SETUP).content.decode()


def test_a_new_key_can_be_asked_for_before_confirming(
    organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(organiser)
    client.get(SETUP)
    old = TOTPDevice.objects.get(user=organiser).key
    client.post(SETUP, {"action": "rekey"})
    devices = TOTPDevice.objects.filter(user=organiser)
    assert devices.count() == 1
    assert devices.get().key != old


def test_a_wrong_code_does_not_enable_it(
    organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(organiser)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=organiser)
    for bad in (wrong(device), "12a456", "1234"):
        response = client.post(SETUP, {"action": "enable", "code": bad})
        assert response.status_code == 200
        assert 'class="msg error"' in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert audit_actions(organiser) == []


def test_the_right_code_enables_it_and_is_audited_without_the_key(
    organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(organiser)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=organiser)
    response = client.post(SETUP, {"action": "enable", "code": code(device)})
    # Enabled: the ten backup codes are shown, this once.
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", page)
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert audit_actions(organiser) == ["account.otp_enable", "account.backup_codes"]
    assert not any(c in str(AuditEntry.objects.values_list("after", flat=True)) for c in codes)
    entry = AuditEntry.objects.get(action="account.otp_enable")
    assert device.key not in str((entry.summary, entry.before, entry.after))
    # This session gave the code: it goes on, and the page now says "on".
    page = client.get(SETUP).content.decode()
    assert 'id="otp-enabled"' in page
    assert client.get(HOME).status_code == 200


# ----------------------------------------------------------- verification


@pytest.fixture
def enrolled(organiser: User, with_password: Callable[[User], User]) -> TOTPDevice:
    with_password(organiser)
    return confirmed_device(organiser)


def test_after_the_password_every_page_waits_for_the_code(
    client: Client, organiser: User, enrolled: TOTPDevice
) -> None:
    response = post_login(client, organiser.username)
    assert response.status_code == 302  # type: ignore[attr-defined]
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2F"
    round_page = reverse("campaigns:round", args=[1])
    assert client.get(round_page)["Location"] == f"{VERIFY}?next=%2Fke-hoach%2F1%2F"
    assert client.get(reverse("common:audit"))["Location"].startswith(VERIFY)
    assert client.get(SETUP)["Location"].startswith(VERIFY)  # cannot swap the device
    json_answer = client.get(HOME, HTTP_ACCEPT="application/json")
    assert json_answer.status_code == 403
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()


def test_a_wrong_code_is_refused_and_the_right_one_opens_the_session(
    client: Client, organiser: User, enrolled: TOTPDevice
) -> None:
    post_login(client, organiser.username)
    response = client.post(VERIFY, {"code": wrong(enrolled), "next": "/kiem-phieu/"})
    assert response.status_code == 400
    assert "Mã xác thực không đúng" in response.content.decode()
    assert client.get(HOME).status_code == 302
    # The throttle of a wrong code lasts a second; the phone's code comes later.
    TOTPDevice.objects.filter(pk=enrolled.pk).update(throttling_failure_count=0)
    response = client.post(VERIFY, {"code": code(enrolled), "next": "/kiem-phieu/"})
    assert response.status_code == 302
    assert response["Location"] == "/kiem-phieu/"
    assert client.get(HOME).status_code == 200


def test_next_cannot_lead_off_the_site(
    client: Client, organiser: User, enrolled: TOTPDevice
) -> None:
    post_login(client, organiser.username)
    response = client.post(VERIFY, {"code": code(enrolled), "next": "https://example.org/"})
    assert response["Location"] == HOME


def test_a_code_cannot_be_used_twice(client: Client, organiser: User, enrolled: TOTPDevice) -> None:
    used = code(enrolled)
    post_login(client, organiser.username)
    assert client.post(VERIFY, {"code": used}).status_code == 302
    client.post(reverse("accounts:logout"))
    other = Client()
    post_login(other, organiser.username)
    response = other.post(VERIFY, {"code": used})
    assert response.status_code == 400
    assert other.get(HOME).status_code == 302


def test_repeated_wrong_codes_are_throttled(
    client: Client, organiser: User, enrolled: TOTPDevice
) -> None:
    post_login(client, organiser.username)
    for _ in range(3):
        client.post(VERIFY, {"code": wrong(enrolled)})
    response = client.post(VERIFY, {"code": code(enrolled)})  # right, but too soon
    assert response.status_code == 400
    assert "hãy đợi" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_logging_out_is_possible_before_the_code(
    client: Client, organiser: User, enrolled: TOTPDevice
) -> None:
    post_login(client, organiser.username)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_device_can_be_removed_with_a_current_code_and_it_is_audited(
    client: Client, organiser: User, enrolled: TOTPDevice
) -> None:
    post_login(client, organiser.username)
    client.post(VERIFY, {"code": code(enrolled)})
    response = client.post(SETUP, {"action": "disable", "code": wrong(enrolled)})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=organiser).exists()
    TOTPDevice.objects.filter(pk=enrolled.pk).update(throttling_failure_count=0)
    response = client.post(SETUP, {"action": "disable", "code": code(enrolled, steps_ahead=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=organiser, confirmed=True).exists()
    assert audit_actions(organiser) == ["account.otp_disable"]
    # Next login: the password alone.
    client.post(reverse("accounts:logout"))
    post_login(client, organiser.username)
    assert client.get(HOME).status_code == 200


# ------------------------------------------------------- required by policy


def test_by_default_nobody_has_to_enrol(
    client: Client,
    head_user: User,
    checkin_conference: Conference,
    with_password: Callable[[User], User],
) -> None:
    with_password(head_user)
    post_login(client, head_user.username)
    assert client.get(reverse("counting:my_work")).status_code == 200


def test_when_required_a_committee_head_must_enrol_first(
    client: Client,
    head_user: User,
    checkin_conference: Conference,
    with_password: Callable[[User], User],
    settings: Settings,
) -> None:
    settings.TINNHIEM_REQUIRE_2FA = True
    with_password(head_user)
    post_login(client, head_user.username)
    response = client.get(reverse("counting:my_work"))
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fkiem-phieu%2F"
    assert client.get(VERIFY).status_code == 302  # nothing to verify yet
    page = client.get(SETUP).content.decode()
    assert "bắt buộc dùng xác thực hai bước" in page
    device = TOTPDevice.objects.get(user=head_user)
    response = client.post(
        SETUP, {"action": "enable", "code": code(device), "next": "/kiem-phieu/"}
    )
    assert 'href="/kiem-phieu/"' in response.content.decode()  # after the backup codes
    assert client.get(reverse("counting:my_work")).status_code == 200
    # Required: it cannot be turned off.
    response = client.post(SETUP, {"action": "disable", "code": code(device, steps_ahead=1)})
    assert response.status_code == 200
    assert "không tắt được" in response.content.decode()
    assert TOTPDevice.objects.filter(user=head_user, confirmed=True).exists()


def test_when_required_an_administrator_must_enrol_but_a_clerk_need_not(
    client: Client,
    organiser: User,
    clerk1: User,
    checkin_conference: Conference,
    with_password: Callable[[User], User],
    settings: Settings,
) -> None:
    settings.TINNHIEM_REQUIRE_2FA = True
    organiser.is_superuser = True
    organiser.save(update_fields=["is_superuser"])
    with_password(organiser)
    with_password(clerk1)
    post_login(client, organiser.username)
    assert client.get(HOME)["Location"].startswith(SETUP)
    client.post(reverse("accounts:logout"))
    post_login(client, clerk1.username)
    assert client.get(reverse("counting:my_work")).status_code == 200


def test_when_required_an_organiser_who_is_not_an_administrator_need_not(
    client: Client,
    organiser: User,
    with_password: Callable[[User], User],
    settings: Settings,
) -> None:
    settings.TINNHIEM_REQUIRE_2FA = True
    with_password(organiser)
    post_login(client, organiser.username)
    assert client.get(HOME).status_code == 200


# ----------------------------------------------------------- backup codes


def test_a_backup_code_replaces_the_phone_once(
    client: Client, organiser: User, enrolled: TOTPDevice
) -> None:
    from tinnhiem.accounts.services import backup_codes_issue

    codes = backup_codes_issue(acting_user=organiser)
    assert len(set(codes)) == 10
    post_login(client, organiser.username)
    assert client.get(HOME).status_code == 302  # waits for the second factor
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": HOME})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    assert "account.backup_code_used" in audit_actions(organiser)
    # Spent: the same code no longer works in a new session.
    client.logout()
    post_login(client, organiser.username)
    assert client.post(VERIFY, {"code": codes[0], "next": HOME}).status_code == 400
    from django_otp.plugins.otp_static.models import StaticToken

    assert StaticToken.objects.filter(device__user=organiser).count() == 9


def test_an_administrator_unlocks_an_account_and_resets_its_second_factor(
    client_for: Callable[[User | None], Client],
    organiser: User,
    enrolled: TOTPDevice,
) -> None:
    from axes.models import AccessAttempt

    from tinnhiem.accounts.services import backup_codes_issue, is_locked

    backup_codes_issue(acting_user=organiser)
    AccessAttempt.objects.create(
        username=organiser.username,
        ip_address="127.0.0.1",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/tai-khoan/dang-nhap/",
    )
    assert is_locked(organiser.username)
    admin = User.objects.create(username="quantri", is_superuser=True)
    url = reverse("accounts:admin")
    # Not for an organiser, even one with every round.
    assert client_for(organiser).get(url).status_code in (302, 403)
    client = client_for(admin)
    page = client.get(url, {"q": organiser.username}).content.decode()
    assert "Bị khóa do đăng nhập sai" in page
    assert client.post(url, {"user": organiser.pk, "action": "unlock"}).status_code == 302
    assert not is_locked(organiser.username)
    client.post(url, {"user": organiser.pk, "action": "otp_reset"})
    assert not TOTPDevice.objects.filter(user=organiser).exists()
    from django_otp.plugins.otp_static.models import StaticDevice

    assert not StaticDevice.objects.filter(user=organiser).exists()
    assert {"account.unlock", "account.otp_reset"} <= set(
        AuditEntry.objects.filter(actor_id=admin.pk).values_list("action", flat=True)
    )
    # Nonsense is refused with a message, not an error page.
    response = client.post(url, {"user": "x", "action": "unlock"}, follow=True)
    assert "Yêu cầu không hợp lệ." in response.content.decode()
