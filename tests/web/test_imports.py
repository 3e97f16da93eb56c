"""Spreadsheet imports against the database: a preview writes nothing, an
accepted file is written whole in one transaction with its audit trail, and
an error anywhere writes nothing."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pytest
from openpyxl import Workbook

from tests.web.builders import make_agency, make_round, names
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.imports import (
    agencies_export,
    agencies_import_apply,
    agencies_import_preview,
    officials_export,
    officials_import_apply,
    officials_import_preview,
    officials_template,
)
from tinnhiem.campaigns.models import Agency, Block, Official, VoteRound
from tinnhiem.campaigns.services import official_create
from tinnhiem.common.audit import verify_chain
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.imports import (
    voters_export,
    voters_import_apply,
    voters_import_preview,
    voters_template,
)
from tinnhiem.conferences.models import Conference, Voter
from tinnhiem.conferences.services import voter_add
from tinnhiem.spreadsheets import preview_voters

HEADER = ["STT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Khối", "Ngày bổ nhiệm"]
PEOPLE = names(401, 8)


def xlsx(rows: Sequence[Sequence[Any]], title: str = "Cán bộ") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "blocks": Block.objects.count(),
        "agencies": Agency.objects.count(),
        "officials": Official.objects.count(),
        "voters": Voter.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def codes(preview: Any) -> list[tuple[str, str | None]]:
    return [(i.code, i.ref) for i in preview.issues]


def officials_file(*extra: Sequence[Any]) -> bytes:
    """Four people: two at the round's Sở Tư pháp, two at a new Sở Y tế."""
    return xlsx(
        [
            HEADER,
            [1, PEOPLE[0], "Phó Giám đốc", "Sở Tư pháp", "Khối chính quyền", "15/03/2021"],
            [2, PEOPLE[1], "Trưởng phòng", "sở tư pháp", "", "2020-01-02"],
            [3, PEOPLE[2], "Giám đốc", "Sở Y tế", "Khối chính quyền", ""],
            [4, PEOPLE[3], "Phó Giám đốc", "Sở Y tế", "Khối chính quyền", "01/07/2019"],
            *extra,
        ]
    )


# ------------------------------------------------------------------ officials


def test_preview_writes_nothing(vote_round: VoteRound, agency: Agency) -> None:
    before = counts()
    p = officials_import_preview(
        vote_round=vote_round, data=officials_file(), filename="ds.xlsx", create_missing=True
    )
    assert p.ok, [i.text_vi for i in p.issues]
    assert p.scope == f"vote_round:{vote_round.pk}"
    assert p.new_blocks == ()
    assert p.new_agencies == ("Sở Y tế",)
    assert counts() == before


def test_apply_writes_everything_with_its_audit_trail(
    organiser: User, vote_round: VoteRound, agency: Agency
) -> None:
    p = officials_import_preview(
        vote_round=vote_round, data=officials_file(), filename="ds.xlsx", create_missing=True
    )
    before = counts()
    result = officials_import_apply(acting_user=organiser, vote_round=vote_round, preview=p)
    assert result.counts == {"blocks": 0, "agencies": 1, "officials": 4}
    assert counts()["officials"] == before["officials"] + 4
    created = list(Official.objects.filter(round=vote_round).order_by("id"))
    assert [o.full_name for o in created] == PEOPLE[:4]
    assert [o.agency.name for o in created] == ["Sở Tư pháp", "Sở Tư pháp", "Sở Y tế", "Sở Y tế"]
    assert created[0].appointed_or_elected_on.isoformat() == "2021-03-15"
    assert created[1].appointed_or_elected_on.isoformat() == "2020-01-02"
    assert created[2].appointed_or_elected_on is None
    # One entry per agency created (the service) and one for the officials.
    new = AuditEntry.objects.filter(seq__gt=before["audit"]).order_by("seq")
    assert [e.action for e in new] == ["agency.create", "officials.import"]
    entry = new.last()
    assert entry is not None
    assert entry == result.audit_entry
    assert entry.actor_id == organiser.pk
    assert entry.object_id == str(vote_round.pk)
    assert entry.after["count"] == 4
    assert entry.after["sha256"] == p.sha256
    assert entry.after["agencies_created"] == ["Sở Y tế"]
    assert [o[1] for o in entry.after["officials"]] == PEOPLE[:4]
    assert [o[0] for o in entry.after["officials"]] == [o.pk for o in created]
    assert verify_chain() is None


def test_new_blocks_are_created_through_the_service(
    organiser: User, vote_round: VoteRound, agency: Agency
) -> None:
    data = xlsx(
        [
            HEADER,
            [1, PEOPLE[0], "Trưởng ban", "Ban Tổ chức Tỉnh ủy", "Khối Đảng, đoàn thể"],
            [2, PEOPLE[1], "Phó Trưởng ban", "Ban Tổ chức Tỉnh ủy", "Khối Đảng, đoàn thể"],
        ]
    )
    p = officials_import_preview(
        vote_round=vote_round, data=data, filename="ds.xlsx", create_missing=True
    )
    assert (p.new_blocks, p.new_agencies) == (("Khối Đảng, đoàn thể",), ("Ban Tổ chức Tỉnh ủy",))
    result = officials_import_apply(acting_user=organiser, vote_round=vote_round, preview=p)
    assert result.counts == {"blocks": 1, "agencies": 1, "officials": 2}
    block = Block.objects.get(round=vote_round, name="Khối Đảng, đoàn thể")
    assert block.order > Block.objects.get(round=vote_round, name="Khối chính quyền").order
    assert AuditEntry.objects.filter(action="block.create", object_id=str(block.pk)).exists()


def test_unknown_agency(vote_round: VoteRound, agency: Agency) -> None:
    p = officials_import_preview(vote_round=vote_round, data=officials_file(), filename="ds.xlsx")
    assert codes(p) == [("unknown_agency", "D4"), ("unknown_agency", "D5")]
    e = p.errors[0]
    assert e.origin == "database"
    assert e.text_vi.startswith(
        "Trang tính “Cán bộ”, ô D4: Cơ quan, đơn vị “Sở Y tế” chưa có trong kế hoạch."
    )
    assert p.new_agencies == ()


def test_unknown_agency_without_a_block_cannot_be_created(
    vote_round: VoteRound, agency: Agency
) -> None:
    data = xlsx([HEADER, [1, PEOPLE[0], "Giám đốc", "Sở Y tế", ""]])
    p = officials_import_preview(
        vote_round=vote_round, data=data, filename="ds.xlsx", create_missing=True
    )
    assert codes(p) == [("unknown_agency", "D2")]
    assert "Ghi “Khối”" in p.errors[0].message_vi


def test_an_agency_spelled_without_diacritics_is_not_a_new_agency(
    vote_round: VoteRound, agency: Agency
) -> None:
    data = xlsx([HEADER, [1, PEOPLE[0], "Giám đốc", "So Tu phap", "Khối chính quyền"]])
    p = officials_import_preview(
        vote_round=vote_round, data=data, filename="ds.xlsx", create_missing=True
    )
    assert codes(p) == [("unknown_agency", "D2")]
    assert "Có phải “Sở Tư pháp”?" in p.errors[0].message_vi


def test_agency_in_another_block(vote_round: VoteRound, agency: Agency) -> None:
    data = xlsx([HEADER, [1, PEOPLE[0], "Giám đốc", "Sở Tư pháp", "Khối nội chính"]])
    p = officials_import_preview(vote_round=vote_round, data=data, filename="ds.xlsx")
    assert codes(p) == [("agency_other_block", "E2")]


def test_duplicate_person_in_the_file(vote_round: VoteRound, agency: Agency) -> None:
    data = officials_file([5, PEOPLE[0].upper(), "Phó Giám đốc", "Sở Tư pháp"])
    p = officials_import_preview(
        vote_round=vote_round, data=data, filename="ds.xlsx", create_missing=True
    )
    assert codes(p) == [("duplicate_person", "B6")]
    assert "đã có ở dòng 2" in p.errors[0].message_vi


def test_person_already_in_the_round(
    vote_round: VoteRound, agency: Agency, officials: list[Official]
) -> None:
    already = officials[0]
    data = xlsx(
        [
            HEADER,
            [1, already.full_name, "Giám đốc", "Sở Tư pháp"],
            [2, officials[1].full_name, "Trưởng ban", "Ban Tuyên giáo", "Khối Đảng"],
        ]
    )
    p = officials_import_preview(
        vote_round=vote_round, data=data, filename="ds.xlsx", create_missing=True
    )
    assert codes(p) == [("already_in_round", "B2"), ("namesake_in_round", "B3")]
    assert p.errors[0].message_vi == (
        f"“{already.full_name}” đã có trong kế hoạch, cùng cơ quan “Sở Tư pháp”."
    )
    assert p.warnings[0].severity == "warning"


def test_an_error_anywhere_writes_nothing(
    organiser: User, vote_round: VoteRound, agency: Agency
) -> None:
    data = officials_file(
        [5, PEOPLE[4], "Phó Giám đốc", "Sở Y tế", "Khối chính quyền", "31/06/2021"]
    )
    p = officials_import_preview(
        vote_round=vote_round, data=data, filename="ds.xlsx", create_missing=True
    )
    assert codes(p) == [("bad_date", "F6")]
    before = counts()
    with pytest.raises(ServiceError) as e:
        officials_import_apply(acting_user=organiser, vote_round=vote_round, preview=p)
    assert e.value.code == "import_has_errors"
    assert "ô F6" in e.value.message
    assert counts() == before


def test_a_failure_while_writing_rolls_everything_back(
    organiser: User, vote_round: VoteRound, agency: Agency, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = officials_import_preview(
        vote_round=vote_round, data=officials_file(), filename="ds.xlsx", create_missing=True
    )
    before = counts()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Official.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        officials_import_apply(acting_user=organiser, vote_round=vote_round, preview=p)
    assert counts() == before  # the agency created first is gone too
    assert verify_chain() is None


def test_a_preview_gone_stale_is_refused(
    organiser: User, vote_round: VoteRound, agency: Agency
) -> None:
    p = officials_import_preview(
        vote_round=vote_round, data=officials_file(), filename="ds.xlsx", create_missing=True
    )
    assert p.ok
    official_create(acting_user=organiser, agency=agency, full_name=PEOPLE[1], position="X")
    before = counts()
    with pytest.raises(ServiceError) as e:
        officials_import_apply(acting_user=organiser, vote_round=vote_round, preview=p)
    assert e.value.code == "import_has_errors"
    assert "đã thay đổi" in e.value.message
    assert counts() == before


def test_new_agencies_not_shown_in_the_preview_are_refused(
    organiser: User, vote_round: VoteRound, agency: Agency
) -> None:
    data = xlsx([HEADER, [1, PEOPLE[0], "Giám đốc", "Sở Tư pháp", "Khối chính quyền"]])
    p = officials_import_preview(
        vote_round=vote_round, data=data, filename="ds.xlsx", create_missing=True
    )
    assert p.ok
    assert p.new_agencies == ()
    # The agency the preview counted on disappears before the import is confirmed.
    Official.objects.filter(agency=agency).delete()
    agency.delete()
    before = counts()
    with pytest.raises(ServiceError) as e:
        officials_import_apply(acting_user=organiser, vote_round=vote_round, preview=p)
    assert e.value.code == "import_stale"
    assert counts() == before


def test_a_preview_applies_only_where_it_was_checked(
    organiser: User, vote_round: VoteRound, agency: Agency
) -> None:
    other = make_round(organiser, number="100-KH/TU")
    make_agency(organiser, other)
    p = officials_import_preview(vote_round=other, data=officials_file(), filename="ds.xlsx")
    with pytest.raises(ServiceError) as e:
        officials_import_apply(acting_user=organiser, vote_round=vote_round, preview=p)
    assert e.value.code == "import_other_scope"
    voters_p = preview_voters(b"Ho va ten\nTa Van Ba\n", "tp.csv").with_issues(
        (), scope=f"vote_round:{vote_round.pk}"
    )
    with pytest.raises(ServiceError) as e:
        officials_import_apply(acting_user=organiser, vote_round=vote_round, preview=voters_p)
    assert e.value.code == "import_wrong_kind"


def test_a_malformed_file_gives_a_preview_with_its_error(
    vote_round: VoteRound, agency: Agency
) -> None:
    p = officials_import_preview(vote_round=vote_round, data=b"%PDF-1.4", filename="ds.pdf")
    assert codes(p) == [("file_unsupported", None)]
    assert p.scope == f"vote_round:{vote_round.pk}"


def test_a_third_place_uses_the_rounds_profile(vote_round: VoteRound, agency: Agency) -> None:
    name = PEOPLE[5]
    data = xlsx(
        [
            HEADER,
            [1, name, "Bí thư", "Huyện ủy Thử Nghiệm", "Khối Đảng"],
            [2, name, "Chủ tịch HĐND", "HĐND huyện Thử Nghiệm", "Khối dân cử"],
            [3, name, "Chủ tịch", "UBND huyện Thử Nghiệm", "Khối chính quyền"],
        ]
    )
    p = officials_import_preview(
        vote_round=vote_round, data=data, filename="ds.xlsx", create_missing=True
    )
    assert codes(p) == [("namesake", "B3"), ("too_many_places", "B4")]


def test_officials_export_imports_back_into_a_new_round(
    organiser: User, vote_round: VoteRound, agency: Agency, officials: list[Official]
) -> None:
    for fmt in ("xlsx", "csv"):
        download = officials_export(vote_round=vote_round, fmt=fmt)
        assert download.filename.endswith("." + fmt)
        other = make_round(organiser, number=f"{fmt}-KH/TU")
        p = officials_import_preview(
            vote_round=other,
            data=download.content,
            filename=download.filename,
            create_missing=True,
        )
        assert p.ok, [i.text_vi for i in p.issues]
        officials_import_apply(acting_user=organiser, vote_round=other, preview=p)
        fields = [
            "full_name",
            "position",
            "agency__name",
            "agency__block__name",
            "appointed_or_elected_on",
            "reappointed_same_post",
            "in_post_since",
        ]
        assert list(Official.objects.filter(round=other).order_by("id").values_list(*fields)) == (
            list(Official.objects.filter(round=vote_round).order_by("id").values_list(*fields))
        )


def test_templates_are_xlsx() -> None:
    for download in (officials_template(), voters_template()):
        assert download.content.startswith(b"PK")
        assert download.content_type.endswith("spreadsheetml.sheet")


# ------------------------------------------------------------------ agencies


def test_agencies_import(organiser: User, vote_round: VoteRound, agency: Agency) -> None:
    data = xlsx(
        [
            ["Khối", "Cơ quan, đơn vị"],
            ["Khối chính quyền", "Sở Tư pháp"],  # already there: skipped
            ["Khối chính quyền", "Sở Y tế"],
            ["Khối Đảng, đoàn thể", "Ban Dân vận Tỉnh ủy"],
        ]
    )
    p = agencies_import_preview(vote_round=vote_round, data=data, filename="cq.xlsx")
    assert codes(p) == [("agency_exists", "B2")]
    assert p.ok
    result = agencies_import_apply(acting_user=organiser, vote_round=vote_round, preview=p)
    assert result.counts == {"blocks": 1, "agencies": 2, "officials": 0}
    assert list(
        Agency.objects.filter(round=vote_round).order_by("id").values_list("name", "block__name")
    ) == [
        ("Sở Tư pháp", "Khối chính quyền"),
        ("Sở Y tế", "Khối chính quyền"),
        ("Ban Dân vận Tỉnh ủy", "Khối Đảng, đoàn thể"),
    ]
    exported = agencies_export(vote_round=vote_round, fmt="csv").content.decode("utf-8-sig")
    assert "Khối Đảng, đoàn thể" in exported


# -------------------------------------------------------------------- voters


def voters_file(*rows: Sequence[Any]) -> bytes:
    return xlsx([["STT", "Họ và tên", "Chức vụ, đơn vị"], *rows], title="Thành phần")


def test_voters_preview_and_apply(organiser: User, conference: Conference) -> None:
    data = voters_file([1, PEOPLE[6], "Ủy viên Ban Chấp hành"], [2, PEOPLE[7], ""])
    before = counts()
    p = voters_import_preview(conference=conference, data=data, filename="tp.xlsx")
    assert p.ok
    assert p.issues == ()
    assert counts() == before
    result = voters_import_apply(acting_user=organiser, conference=conference, preview=p)
    assert [v.full_name for v in result.voters] == PEOPLE[6:8]
    assert [v.order for v in result.voters] == [1, 2]
    actions = list(
        AuditEntry.objects.filter(seq__gt=before["audit"])
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["voter.add", "voter.add", "voters.import"]
    assert verify_chain() is None


def test_voter_already_summoned(organiser: User, conference: Conference) -> None:
    voter_add(acting_user=organiser, conference=conference, full_name=PEOPLE[6], position="Ủy viên")
    data = voters_file([1, PEOPLE[6], "Ủy viên"], [2, PEOPLE[6].upper(), "Chuyên viên"])
    p = voters_import_preview(conference=conference, data=data, filename="tp.xlsx")
    assert codes(p) == [("already_summoned", "B2"), ("namesake", "B3"), ("namesake_summoned", "B3")]
    before = counts()
    with pytest.raises(ServiceError) as e:
        voters_import_apply(acting_user=organiser, conference=conference, preview=p)
    assert e.value.code == "import_has_errors"
    assert counts() == before


def test_voters_cannot_be_added_once_voting_started(
    organiser: User, counting_conference: Conference
) -> None:
    p = voters_import_preview(
        conference=counting_conference, data=voters_file([1, PEOPLE[6], ""]), filename="tp.xlsx"
    )
    assert codes(p) == [("wrong_status", None)]


def test_voters_export_round_trip(
    organiser: User, conference: Conference, voters: list[Voter]
) -> None:
    download = voters_export(conference=conference, fmt="xlsx")
    p = voters_import_preview(conference=conference, data=download.content, filename="tp.xlsx")
    assert [r.text("full_name") for r in p.rows] == [v.full_name for v in voters]
    assert {i.code for i in p.errors} == {"already_summoned"}
