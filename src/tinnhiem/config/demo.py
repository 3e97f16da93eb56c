"""``tinnhiem demo``: migrate, load a realistic demo round, serve the web app.

Everything is loaded through the services, as a clerk would: the audit log of
the demo database is a real one. People are invented (``tinnhiem.demo``);
agency names and the province-wide figures are real (seed reports).

Idempotent: each round is loaded once, accounts are created once.
"""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
from typing import Any

DEMO_PASSWORD = "tinnhiem-demo"

ACCOUNTS = [
    # username, full name, organiser?, superuser?, role shown to the user
    ("quantri", "Quản trị hệ thống", True, True, "Quản trị hệ thống"),
    ("bantochuc", "Chuyên viên Ban Tổ chức", True, False, "Ban Tổ chức / Sở Nội vụ"),
    ("truongban", "Trưởng Ban kiểm phiếu", False, False, "Trưởng Ban kiểm phiếu"),
    ("thuky1", "Thành viên nhập phiếu lượt 1", False, False, "Ban kiểm phiếu, nhập lượt 1"),
    ("thuky2", "Thành viên nhập phiếu lượt 2", False, False, "Ban kiểm phiếu, nhập lượt 2"),
    ("giamsat", "Giám sát viên", False, False, "Giám sát"),
]

HB2018_NUMBER = "146-KH/TU"
HB2023_NUMBER = "167-KH/TU"
LS2023_NUMBER = "KH-LS-2023"


def _users() -> dict[str, Any]:
    from tinnhiem.accounts.models import User

    users = {}
    for username, full_name, organiser, superuser, _role in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "is_organiser": organiser,
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
    return users


def _head_seat(conference: Any, users: dict[str, Any], name: str) -> None:
    from tinnhiem.conferences.models import CommitteeRole, Voter
    from tinnhiem.conferences.services import committee_member_add

    voter = Voter.objects.create(conference=conference, full_name=name, order=1)
    committee_member_add(
        acting_user=users["bantochuc"],
        conference=conference,
        voter=voter,
        role=CommitteeRole.HEAD,
        user=users["truongban"],
    )


def seat_committee_and_open_checkin(users: dict[str, Any], conference: Any, voters: Any) -> Any:
    """The demo accounts on a live conference: the first three summoned members
    are the counting committee (head, clerks of passes 1 and 2), ``giamsat``
    supervises; check-in opens. Returns the conference."""
    from tinnhiem.conferences.models import CommitteeRole, Supervisor
    from tinnhiem.conferences.services import checkin_open, committee_member_add

    seats = [
        (CommitteeRole.HEAD, "truongban", None),
        (CommitteeRole.MEMBER, "thuky1", 1),
        (CommitteeRole.MEMBER, "thuky2", 2),
    ]
    for voter, (role, username, entry_pass) in zip(voters, seats, strict=False):
        committee_member_add(
            acting_user=users["bantochuc"],
            conference=conference,
            voter=voter,
            role=role,
            user=users[username],
            entry_pass=entry_pass,
        )
    Supervisor.objects.get_or_create(conference=conference, user=users["giamsat"])
    return checkin_open(acting_user=users["bantochuc"], conference=conference)


def _load_hoa_binh_2018(users: dict[str, Any]) -> None:
    from tinnhiem.campaigns.models import VoteRound
    from tinnhiem.campaigns.services import agency_create, block_create, round_create
    from tinnhiem.counting.services import record_import, results_confirm
    from tinnhiem.demo.names import NameGenerator
    from tinnhiem.demo.province import hoa_binh_2018_round

    if VoteRound.objects.filter(number=HB2018_NUMBER).exists():
        return
    demo = hoa_binh_2018_round()
    organiser = users["bantochuc"]
    vote_round = round_create(
        acting_user=organiser,
        number=HB2018_NUMBER,
        title="Lấy phiếu tín nhiệm đối với cán bộ lãnh đạo diện Ban Thường vụ Tỉnh ủy quản lý "
        "(giữa nhiệm kỳ 2015–2020)",
        issuing_body="Ban Thường vụ Tỉnh ủy Hòa Bình",
        issued_on=date(2018, 5, 4),
        vote_year=2018,
        profile_id=demo.profile_id,
    )
    blocks = {}
    for i, b in enumerate(demo.blocks, start=1):
        blocks[b.name] = block_create(
            acting_user=organiser, vote_round=vote_round, name=b.name, order=i
        )
    agencies = {}
    for i, a in enumerate(demo.agencies, start=1):
        agencies[a.name] = agency_create(
            acting_user=organiser, block=blocks[a.block], name=a.name, order=i
        )
    heads = NameGenerator(18)
    for record in demo.records:
        assert record.unit is not None
        conference = record_import(
            acting_user=organiser, agency=agencies[record.unit], record=record
        )
        _head_seat(conference, users, heads.name())
        results_confirm(acting_user=users["truongban"], conference=conference)


def _load_2023(users: dict[str, Any]) -> None:
    from tinnhiem.campaigns.models import VoteRound
    from tinnhiem.campaigns.services import (
        agency_create,
        block_create,
        official_create,
        round_create,
    )
    from tinnhiem.conferences.services import (
        candidacy_add,
        conference_create,
        voter_add,
    )
    from tinnhiem.counting.services import record_import, results_confirm
    from tinnhiem.demo.names import NameGenerator
    from tinnhiem.demo.province import hoa_binh_thads_2023, lang_son_committee_2023

    organiser = users["bantochuc"]
    if not VoteRound.objects.filter(number=HB2023_NUMBER).exists():
        record = hoa_binh_thads_2023()
        vote_round = round_create(
            acting_user=organiser,
            number=HB2023_NUMBER,
            title="Lấy phiếu tín nhiệm đối với cán bộ lãnh đạo, quản lý các cơ quan, đơn vị trong "
            "hệ thống chính trị tỉnh Hòa Bình năm 2023",
            issuing_body="Tỉnh ủy Hòa Bình",
            issued_on=date(2023, 4, 20),
            vote_year=2023,
            profile_id="qd96-2023",
        )
        block = block_create(
            acting_user=organiser,
            vote_round=vote_round,
            name="Khối các cơ quan Trung ương tại tỉnh",
            order=1,
        )
        agency = agency_create(acting_user=organiser, block=block, name=record.unit or "", order=1)
        conference = conference_create(
            acting_user=organiser,
            vote_round=vote_round,
            agency=agency,
            title=record.title or "Hội nghị lấy phiếu tín nhiệm",
            date=record.date or date(2023, 6, 27),
            location="Hội trường Cục Thi hành án dân sự tỉnh Hòa Bình",
            chair=record.conference.candidates[0].name,
            supervisors="Ban Tổ chức Tỉnh ủy; Vụ Tổ chức cán bộ Tổng cục Thi hành án dân sự "
            "(trực tuyến)",
            members_total=record.conference.summoned,
        )
        for cand in record.conference.candidates:
            official = official_create(
                acting_user=organiser,
                agency=agency,
                full_name=cand.name,
                position=cand.position,
                appointed_or_elected_on=date(2019, 3, 1),
            )
            candidacy_add(acting_user=organiser, conference=conference, official=official)
        # An official appointed this year: shown as excluded, with the article.
        official_create(
            acting_user=organiser,
            agency=agency,
            full_name=NameGenerator(2024).name(),
            position="Phó Cục trưởng",
            appointed_or_elected_on=date(2023, 3, 15),
        )
        names = NameGenerator(627)
        positions = ["Chánh Văn phòng", "Trưởng phòng", "Phó Trưởng phòng", "Chi cục trưởng"]
        voters = [
            voter_add(
                acting_user=organiser,
                conference=conference,
                full_name=names.name(),
                position=positions[i % len(positions)],
            )
            for i in range(record.conference.summoned)
        ]
        seat_committee_and_open_checkin(users, conference, voters)

    if not VoteRound.objects.filter(number=LS2023_NUMBER).exists():
        record = lang_son_committee_2023()
        if record.date is None:
            record = dataclasses.replace(record, date=date(2023, 9, 20))
        vote_round = round_create(
            acting_user=organiser,
            number=LS2023_NUMBER,
            title="Lấy phiếu tín nhiệm giữa nhiệm kỳ đối với Ủy viên Ban Thường vụ Tỉnh ủy Lạng "
            "Sơn (dữ liệu minh họa)",
            issuing_body="Ban Thường vụ Tỉnh ủy Lạng Sơn",
            issued_on=date(2023, 8, 1),
            vote_year=2023,
            profile_id=record.profile_id,
        )
        block = block_create(
            acting_user=organiser, vote_round=vote_round, name="Cấp ủy tỉnh", order=1
        )
        agency = agency_create(
            acting_user=organiser, block=block, name=record.unit or "Tỉnh ủy Lạng Sơn", order=1
        )
        conference = record_import(
            acting_user=organiser, agency=agency, record=record, place_kind="party_committee"
        )
        _head_seat(conference, users, NameGenerator(555).name())
        results_confirm(acting_user=users["truongban"], conference=conference)


def _load_thads_dossiers(users: dict[str, Any]) -> None:
    """A few dossier items and one written question for the THADS conference, so
    that its timeline and the round's dashboard are not empty. Invented text;
    loaded once (nothing is recorded if the conference already has a dossier)."""
    from datetime import timedelta

    from tinnhiem.conferences.dossiers import (
        dossier_item_record,
        question_forward,
        question_record,
    )
    from tinnhiem.conferences.models import Conference, DossierItem

    conference = Conference.objects.filter(round__number=HB2023_NUMBER).order_by("id").first()
    if conference is None:
        return
    if DossierItem.objects.filter(candidacy__conference=conference).exists():
        return
    people = list(conference.candidacies.order_by("order"))
    if len(people) < 2:
        return
    organiser = users["bantochuc"]

    def before(days: int) -> date:
        return conference.date - timedelta(days=days)

    # The first person on time; the second's report a few days late, without
    # the declaration; the others have sent nothing yet.
    for kind in ("report", "asset_declaration"):
        dossier_item_record(
            acting_user=organiser, candidacy=people[0], kind=kind, received_on=before(22)
        )
    dossier_item_record(
        acting_user=organiser,
        candidacy=people[1],
        kind="report",
        received_on=before(18),
        note="Gửi sau khi được nhắc (dữ liệu minh họa)",
    )
    question = question_record(
        acting_user=organiser,
        candidacy=people[1],
        asked_by="Một người ghi phiếu (dữ liệu minh họa)",
        received_on=before(12),
        text="Đề nghị làm rõ kết quả tổ chức thi hành các vụ việc có điều kiện thi hành "
        "(nội dung minh họa).",
    )
    question_forward(acting_user=organiser, question=question, forwarded_on=before(11))


def load_demo() -> None:
    from django.conf import settings
    from django.db import transaction

    from tinnhiem.config.demo_evote import load_evote_demo

    with transaction.atomic():
        users = _users()
    with transaction.atomic():
        _load_2023(users)
    with transaction.atomic():
        _load_thads_dossiers(users)
    with transaction.atomic():
        _load_hoa_binh_2018(users)
    with transaction.atomic():
        load_evote_demo(users, settings.DATA_DIR)


def _evote_hint(out: Any, url: str, data_dir: Any) -> None:
    from tinnhiem.config.demo_evote import CARDS_PDF, EVOTE_NUMBER, demo_cards, evote_dir
    from tinnhiem.evote.models import Election

    election = Election.objects.filter(conference__round__number=EVOTE_NUMBER).first()
    if election is None:
        return
    where = evote_dir(data_dir)
    cards = demo_cards(data_dir)
    out.write(
        f"Bỏ phiếu điện tử (HĐND tỉnh, {EVOTE_NUMBER}): {url}bo-phieu-dien-tu/{election.uuid}/ "
        f"— màn hình hội trường: {url}bo-phieu-dien-tu/{election.uuid}/man-hinh/\n"
    )
    if cards:
        out.write(
            f"  Thẻ chưa dùng, để thử: {', '.join(cards[:3])} (tất cả: {where / CARDS_PDF})\n"
        )
    out.write(
        f"  Khóa của 3 thành viên Ban kiểm phiếu (thay cho USB của họ): {where}/thanh-vien-1…3 "
        "(tinnhiem trustee decrypt)\n"
    )


def run(*, port: int, serve: bool, host: str = "127.0.0.1") -> int:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinnhiem.config.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    out = sys.stdout
    out.write(f"Cơ sở dữ liệu: {settings.DATABASES['default']['NAME']}\n")
    call_command("migrate", interactive=False, verbosity=0)
    out.write("Đang nạp dữ liệu minh họa (chỉ lần đầu)…\n")
    load_demo()
    url = f"http://{host}:{port}/"
    if serve:
        out.write("\nTín Nhiệm đang chạy tại " + url + " (Ctrl+C để dừng)\n")
    else:
        out.write("\nĐã nạp xong. Chạy lại không có --no-serve để mở " + url + "\n")
    out.write(f"Tài khoản (mật khẩu chung: {DEMO_PASSWORD}):\n")
    for username, _full, _org, _su, role in ACCOUNTS:
        out.write(f"  {username:<10} {role}\n")
    out.write(
        "Thử: đăng nhập 'bantochuc', mở hội nghị Cục THADS tỉnh Hòa Bình (167-KH/TU), điểm danh, "
        "mở bỏ phiếu; 'thuky1' và 'thuky2' nhập phiếu; 'truongban' đối chiếu và xác nhận.\n"
    )
    _evote_hint(out, url, settings.DATA_DIR)
    out.flush()
    if serve:
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
    return 0
