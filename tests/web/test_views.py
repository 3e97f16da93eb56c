"""Pages and endpoints: who may see what, what a clerk sees when input is bad
(a Vietnamese message, never a traceback), and the figures on the pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.builders import APPOINTED_THIS_YEAR, enter, make_officials, mark, names
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Agency, VoteRound
from tinnhiem.conferences.models import Attendance, Conference, Status, Voter
from tinnhiem.counting.models import BallotEntry, ConfirmedResult, Resolution

ROLES = ("organiser", "head_user", "clerk1", "clerk2", "member_user", "supervisor_user", "outsider")
EVERYONE = frozenset(ROLES)
CONFERENCE_PEOPLE = EVERYONE - {"outsider"}
OVERSEERS = frozenset({"organiser", "head_user", "supervisor_user"})

# (url name, which object's pk, extra args, roles that may open it)
PAGES: list[tuple[str, str, tuple[int, ...], frozenset[str]]] = [
    ("campaigns:home", "", (), EVERYONE),
    ("campaigns:round", "round", (), EVERYONE),
    ("campaigns:round_results", "round", (), frozenset({"organiser"})),
    ("campaigns:organisation", "round", (), EVERYONE),
    ("campaigns:officials", "round", (), EVERYONE),
    ("campaigns:record_import", "round", (), frozenset({"organiser"})),
    ("conferences:create", "round", (), frozenset({"organiser"})),
    ("conferences:detail", "conference", (), CONFERENCE_PEOPLE),
    ("conferences:checkin", "conference", (), CONFERENCE_PEOPLE),
    ("conferences:counts", "conference", (), CONFERENCE_PEOPLE),
    ("counting:my_work", "", (), EVERYONE),
    ("counting:entry", "conference", (1,), frozenset({"clerk1"})),
    ("counting:entry", "conference", (2,), frozenset({"clerk2"})),
    ("counting:reconcile", "conference", (), CONFERENCE_PEOPLE),
    ("counting:results", "conference", (), CONFERENCE_PEOPLE),
    ("counting:export", "conference", (), OVERSEERS),
    ("counting:entry_log", "conference", (), OVERSEERS),
]


def _url(name: str, target: str, extra: tuple[int, ...], conference: Conference) -> str:
    if target == "round":
        return reverse(name, args=[conference.round_id])
    if target == "conference":
        return reverse(name, args=[conference.pk, *extra])
    return reverse(name)


def _page_id(page: tuple[str, str, tuple[int, ...], frozenset[str]]) -> str:
    return page[0] + "".join(f"-{a}" for a in page[2])


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_every_page_opens_for_the_roles_allowed_and_is_forbidden_to_the_others(
    request: pytest.FixtureRequest,
    confirmed: ConfirmedResult,
    entered_conference: Conference,
    client_for: Callable[[User | None], Client],
    page: tuple[str, str, tuple[int, ...], frozenset[str]],
) -> None:
    name, target, extra, allowed = page
    url = _url(name, target, extra, entered_conference)
    statuses = {}
    for role in ROLES:
        response = client_for(request.getfixturevalue(role)).get(url)
        statuses[role] = response.status_code
        if response.status_code == 403:
            assert "Không có quyền" in response.content.decode()
    assert statuses == {role: 200 if role in allowed else 403 for role in ROLES}


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_every_page_sends_an_anonymous_visitor_to_the_login_page(
    conference: Conference,
    client_for: Callable[[User | None], Client],
    page: tuple[str, str, tuple[int, ...], frozenset[str]],
) -> None:
    url = _url(page[0], page[1], page[2], conference)
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_the_login_page_opens(db: None, client_for: Callable[[User | None], Client]) -> None:
    response = client_for(None).get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.parametrize("fixture", ["conference", "checkin_conference", "counting_conference"])
def test_the_conference_pages_render_at_every_step(
    request: pytest.FixtureRequest,
    organiser: User,
    head_user: User,
    fixture: str,
) -> None:
    conference = request.getfixturevalue(fixture)
    client = Client()
    client.force_login(organiser)
    for name in ("conferences:detail", "conferences:checkin", "counting:results"):
        assert client.get(reverse(name, args=[conference.pk])).status_code == 200
    assert client.get(reverse("campaigns:round", args=[conference.round_id])).status_code == 200


def test_a_conference_that_does_not_exist_is_a_404_page_in_vietnamese(
    organiser: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(organiser).get(reverse("conferences:detail", args=[999999]))
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_the_export_waits_for_a_confirmed_result(
    entered_conference: Conference, head_user: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(head_user).get(reverse("counting:export", args=[entered_conference.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("counting:results", args=[entered_conference.pk])


# --- eligibility shown, never printed ----------------------------------------------


def test_excluded_officials_are_shown_with_reason_and_article_and_cannot_be_added(
    organiser: User,
    agency: Agency,
    conference: Conference,
    client_for: Callable[[User | None], Client],
) -> None:
    newcomer = make_officials(organiser, agency, names(41, 1), appointed_on=APPOINTED_THIS_YEAR)[0]
    client = client_for(organiser)
    for url in (
        reverse("campaigns:officials", args=[conference.round_id]),
        reverse("conferences:detail", args=[conference.pk]),
    ):
        page = client.get(url).content.decode()
        assert newcomer.full_name in page
        assert "được bổ nhiệm, bầu cử trong năm lấy phiếu (15/03/2023)" in page
        assert "Điều 3 khoản 1 Quy định 96-QĐ/TW" in page
    detail = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert f'data-add-official="{newcomer.full_name}"' not in detail

    response = client.post(
        reverse("conferences:candidate_add", args=[conference.pk]),
        {"official": newcomer.pk},
        follow=True,
    )
    assert "Không thực hiện lấy phiếu đối với" in response.content.decode()
    assert not conference.candidacies.filter(official=newcomer).exists()


# --- check-in and the quorum gate ----------------------------------------------------


def test_check_in_answers_json_with_the_live_counts(
    organiser: User,
    checkin_conference: Conference,
    voters: list[Voter],
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(organiser)
    url = reverse("conferences:attendance", args=[checkin_conference.pk, voters[0].pk])
    response = client.post(url, {"attendance": "present"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    expected = {
        "voter": voters[0].pk,
        "attendance": "present",
        "summoned": 15,
        "present_at_conference": 1,
        "absent_before_voting": 0,
        "present_at_voting": 1,
        "not_arrived": 14,
    }
    assert {k: response.json().get(k) for k in expected} == expected
    counts = client.get(reverse("conferences:counts", args=[checkin_conference.pk])).json()
    assert (counts["status"], counts["present_at_voting"]) == ("checkin", 1)


def test_check_in_refusals_come_back_as_json_with_a_vietnamese_message(
    organiser: User,
    checkin_conference: Conference,
    voters: list[Voter],
    client_for: Callable[[User | None], Client],
) -> None:
    url = reverse("conferences:attendance", args=[checkin_conference.pk, voters[0].pk])
    response = client_for(organiser).post(
        url, {"attendance": "left"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409
    assert response.json() == {"error": "Người này chưa có mặt.", "code": "not_checked_in"}


def test_a_supervisor_watches_check_in_but_cannot_check_anyone_in(
    supervisor_user: User,
    checkin_conference: Conference,
    voters: list[Voter],
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(supervisor_user)
    page = client.get(reverse("conferences:checkin", args=[checkin_conference.pk]))
    assert 'id="open-voting"' not in page.content.decode()
    url = reverse("conferences:attendance", args=[checkin_conference.pk, voters[0].pk])
    assert client.post(url, {"attendance": "present"}).status_code == 403
    assert Voter.objects.get(pk=voters[0].pk).attendance == Attendance.NOT_ARRIVED


def test_the_quorum_gate_in_the_browser_refuses_9_of_15_and_opens_at_10(
    organiser: User,
    checkin_conference: Conference,
    voters: list[Voter],
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(organiser)
    url = reverse("conferences:open_voting", args=[checkin_conference.pk])
    mark(organiser, voters[:9], Attendance.PRESENT)
    refused = client.post(url, {"ballots_issued": 9}, follow=True)
    assert "Chưa đủ điều kiện tiến hành: có mặt 9/15" in refused.content.decode()
    assert Conference.objects.get(pk=checkin_conference.pk).status == Status.CHECKIN

    mark(organiser, voters[9:10], Attendance.PRESENT)
    opened = client.post(url, {"ballots_issued": 10}, follow=True)
    assert "Đủ điều kiện: đã mở bỏ phiếu." in opened.content.decode()
    assert Conference.objects.get(pk=checkin_conference.pk).status == Status.VOTING


# --- the JSON entry endpoint -----------------------------------------------------


def _save(client: Client, conference: Conference, entry_pass: int, body: Any) -> Any:
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(
        reverse("counting:entry_save", args=[conference.pk, entry_pass]),
        data=raw,
        content_type="application/json",
    )


def test_the_entry_endpoint_saves_edits_and_deletes_a_ballot(
    counting_conference: Conference, clerk1: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(clerk1)
    created = _save(client, counting_conference, 1, {"number": 1, "digits": "123", "signed": 1})
    assert created.status_code == 200
    assert created.json() == {
        "number": 1,
        "version": 1,
        "digits": "123",
        "issued": True,
        "crossed_out": [],
        "added_names": 0,
        "other_writing": False,
        "signed": True,
    }
    edited = _save(
        client,
        counting_conference,
        1,
        {"number": 1, "version": 1, "digits": "321", "issued": "false", "crossed_out": "2, 3"},
    )
    assert edited.status_code == 200
    assert (edited.json()["version"], edited.json()["issued"]) == (2, False)
    assert edited.json()["crossed_out"] == ["2", "3"]
    deleted = _save(client, counting_conference, 1, {"number": 1, "version": 2, "delete": True})
    assert (deleted.status_code, deleted.json()) == (200, {"deleted": 1})
    assert not BallotEntry.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"number": 1, "digits": "12"}, "wrong_length", "Phiếu có 3 người; đã nhập 2 chữ số."),
        ({"number": 1, "digits": "124"}, "bad_digit", "Người thứ 3: “4” không hợp lệ"),
        ({"number": 1, "digits": "111", "crossed_out": [7]}, "bad_crossed_out", "7"),
        ({"number": 1, "digits": "111", "crossed_out": [None]}, "bad_crossed_out", "Gạch tên"),
        ({"number": 1, "digits": "111", "crossed_out": 5}, "bad_crossed_out", "Gạch tên"),
        ({"number": 1, "digits": "111", "crossed_out": {"a": 1}}, "bad_crossed_out", "Gạch"),
        ({"number": 1, "digits": "111", "added_names": "hai"}, "bad_added_names", "số nguyên"),
        ({"number": 0, "digits": "111"}, "bad_number", "Số phiếu phải từ 1"),
        ({"number": 2**40, "digits": "111"}, "bad_number", "Số phiếu phải từ 1"),
        ({"number": 5, "digits": "111", "version": 3}, "entry_conflict", "Phiếu số 5"),
        ({"number": 5, "delete": True}, "entry_conflict", "Thiếu phiên bản"),
    ],
)
def test_bad_input_to_the_entry_endpoint_is_a_409_with_a_vietnamese_message(
    counting_conference: Conference,
    clerk1: User,
    client_for: Callable[[User | None], Client],
    body: dict[str, Any],
    code: str,
    message: str,
) -> None:
    response = _save(client_for(clerk1), counting_conference, 1, body)
    assert response.status_code == 409
    assert response.json()["code"] == code
    assert message in response.json()["error"]
    assert not BallotEntry.objects.exists()


def test_a_second_create_and_a_stale_edit_are_409s_that_keep_the_stored_ballot(
    counting_conference: Conference, clerk1: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(clerk1)
    _save(client, counting_conference, 1, {"number": 1, "digits": "111"})
    again = _save(client, counting_conference, 1, {"number": 1, "digits": "222"})
    assert (again.status_code, again.json()["code"]) == (409, "entry_exists")
    assert again.json()["error"] == "Phiếu số 1 đã được nhập."
    _save(client, counting_conference, 1, {"number": 1, "version": 1, "digits": "333"})
    stale = _save(client, counting_conference, 1, {"number": 1, "version": 1, "digits": "123"})
    assert (stale.status_code, stale.json()["code"]) == (409, "entry_conflict")
    assert "vừa được sửa ở nơi khác" in stale.json()["error"]
    assert BallotEntry.objects.get().digits == "333"


def test_a_clerk_posting_to_the_other_pass_gets_a_409(
    counting_conference: Conference, clerk1: User, client_for: Callable[[User | None], Client]
) -> None:
    response = _save(client_for(clerk1), counting_conference, 2, {"number": 1, "digits": "111"})
    assert response.status_code == 409
    assert response.json() == {
        "error": "Tài khoản này không được giao nhập lượt 2.",
        "code": "not_your_pass",
    }


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'"111"',
        b'{"digits": "111"}',
        b'{"number": "mot", "digits": "111"}',
        b'{"number": 1, "version": "x", "digits": "111"}',
        b'{"number": NaN, "digits": "111"}',
        b"\xff\xfe",
        b"",
    ],
)
def test_malformed_json_to_the_entry_endpoint_is_a_400_without_a_traceback(
    counting_conference: Conference, clerk1: User, body: bytes
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(clerk1)
    response = _save(client, counting_conference, 1, body)
    assert response.status_code == 400
    assert response.json() == {"error": "Dữ liệu gửi lên không hợp lệ.", "code": "bad_request"}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"number": Infinity, "digits": "111"}', 400, "bad_request"),
        (b'{"number": 1, "version": -Infinity, "digits": "111"}', 400, "bad_request"),
        (b'{"number": 1e999, "digits": "111"}', 400, "bad_request"),
        (b'{"number": 1, "digits": "111", "added_names": 1e999}', 409, "bad_added_names"),
    ],
)
def test_json_numbers_python_cannot_make_an_int_of_are_refused_without_a_server_error(
    counting_conference: Conference, clerk1: User, body: bytes, status: int, code: str
) -> None:
    """json.loads accepts Infinity and 1e999 (a float infinity); int() of it
    raises OverflowError, which must not become a 500."""
    client = Client(raise_request_exception=False)
    client.force_login(clerk1)
    response = _save(client, counting_conference, 1, body)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.json()["error"]
    assert not BallotEntry.objects.exists()


def test_the_entry_endpoint_is_post_only_and_for_clerks(
    counting_conference: Conference,
    clerk1: User,
    head_user: User,
    client_for: Callable[[User | None], Client],
) -> None:
    url = reverse("counting:entry_save", args=[counting_conference.pk, 1])
    assert client_for(clerk1).get(url).status_code == 405
    denied = _save(client_for(head_user), counting_conference, 1, {"number": 1, "digits": "111"})
    assert denied.status_code == 403
    anonymous = _save(client_for(None), counting_conference, 1, {"number": 1, "digits": "111"})
    assert anonymous.status_code == 302
    assert not BallotEntry.objects.exists()


def test_the_entry_page_carries_the_ballots_already_typed_in_that_pass(
    entered_conference: Conference, clerk2: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(clerk2).get(reverse("counting:entry", args=[entered_conference.pk, 2]))
    rows = json.loads(
        response.content.decode()
        .split('<script id="rows" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert [r["number"] for r in rows] == list(range(1, 13))
    assert response.context["next_number"] == 13


# --- reconciliation, confirmation and results in the browser ---------------------------


def test_the_reconcile_page_shows_where_the_passes_differ_and_the_head_decides(
    counting_conference: Conference,
    clerk1: User,
    clerk2: User,
    head_user: User,
    client_for: Callable[[User | None], Client],
) -> None:
    enter(clerk1, counting_conference, 1, 1, "123")
    enter(clerk2, counting_conference, 2, 1, "321")
    page = client_for(clerk1).get(reverse("counting:reconcile", args=[counting_conference.pk]))
    assert '<b class="diff-positions">1, 3</b>' in page.content.decode()
    resolve = reverse("counting:resolve", args=[counting_conference.pk, 1])
    assert client_for(clerk1).post(resolve, {"choice": "first", "reason": "x"}).status_code == 403
    no_reason = client_for(head_user).post(resolve, {"choice": "second"}, follow=True)
    assert "Cần ghi lý do" in no_reason.content.decode()
    done = client_for(head_user).post(
        resolve, {"choice": "second", "reason": "Phiếu gốc giống lượt 2"}, follow=True
    )
    assert "Đã ghi quyết định cho phiếu số 1." in done.content.decode()
    assert Resolution.objects.get().digits == "321"


def test_the_head_confirms_in_the_browser_once_everything_is_settled(
    entered_conference: Conference,
    clerk1: User,
    head_user: User,
    client_for: Callable[[User | None], Client],
) -> None:
    url = reverse("counting:confirm", args=[entered_conference.pk])
    enter(clerk1, entered_conference, 1, 13, "111")
    refused = client_for(head_user).post(url, follow=True)
    assert "Còn 1 phiếu hai lượt nhập chưa khớp: số 13." in refused.content.decode()
    assert client_for(clerk1).post(url).status_code == 403
    BallotEntry.objects.filter(number=13).delete()
    done = client_for(head_user).post(url, follow=True)
    assert "Đã xác nhận kết quả (SHA-256" in done.content.decode()
    assert Conference.objects.get(pk=entered_conference.pk).status == Status.CONFIRMED


def test_the_results_page_shows_vietnamese_percentages_with_a_comma(
    confirmed: ConfirmedResult,
    entered_conference: Conference,
    member_user: User,
    client_for: Callable[[User | None], Client],
) -> None:
    page = client_for(member_user).get(reverse("counting:results", args=[entered_conference.pk]))
    html = page.content.decode()
    first = html.split('data-stt="1"')[1].split("</tr>")[0]  # the row of person 1
    for percent in (">58,33<", ">33,33<", ">8,33<"):
        assert percent in first
    assert "58.33" not in html
    assert "33.33" not in html
    assert confirmed.sha256 in html


def test_the_preview_before_confirmation_says_it_is_provisional(
    entered_conference: Conference, head_user: User, client_for: Callable[[User | None], Client]
) -> None:
    html = client_for(head_user).get(reverse("counting:results", args=[entered_conference.pk]))
    text = html.content.decode()
    assert "Kết quả tạm tính, chưa được xác nhận." in text
    assert 'id="confirm"' in text
    assert "58,33" in text


def test_an_amendment_in_the_browser_needs_a_reason_and_lists_both_versions(
    confirmed: ConfirmedResult,
    entered_conference: Conference,
    head_user: User,
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(head_user)
    url = reverse("counting:amend", args=[entered_conference.pk])
    form = {"number": 10, "digits": "113", "issued": "on", "added_names": 0}
    refused = client.post(url, {**form, "reason": ""}, follow=True)
    assert "Điều chỉnh kết quả phải ghi rõ lý do." in refused.content.decode()
    done = client.post(url, {**form, "reason": "Phúc tra phiếu số 10"}, follow=True)
    html = done.content.decode()
    assert "Đã điều chỉnh kết quả: phiên bản 2." in html
    v1, v2 = entered_conference.results.order_by("version")
    assert (v1.sha256, v2.reason) == (confirmed.sha256, "Phúc tra phiếu số 10")
    assert v1.sha256[:16] in html
    assert v2.sha256[:16] in html
    assert "Phúc tra phiếu số 10" in html


def test_the_round_results_page_counts_the_confirmed_conferences(
    confirmed: ConfirmedResult,
    vote_round: VoteRound,
    organiser: User,
    client_for: Callable[[User | None], Client],
) -> None:
    html = client_for(organiser).get(reverse("campaigns:round_results", args=[vote_round.pk]))
    text = html.content.decode()
    assert confirmed.sha256[:16] in text
    assert "Khối chính quyền" in text
