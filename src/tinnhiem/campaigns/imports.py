"""Importing a vote round's agencies and officials from a spreadsheet, and
exporting them.

Each import is two steps. ``*_import_preview`` reads the file
(:mod:`tinnhiem.spreadsheets`, pure) and adds the checks that need the
database: an agency or block the round does not have, a person already in the
round. It writes nothing. ``*_import_apply`` takes an accepted preview
(no errors), checks it again against the database inside one transaction,
and writes everything or nothing.

Blocks and agencies are created through :func:`block_create` and
:func:`agency_create` (one audit entry each). Officials are inserted with
``bulk_create`` and recorded by one audit entry that lists every official
created with the file's name and SHA-256. Through :func:`official_create`,
10,000 officials take 15–28 s on SQLite (1.5–2.8 ms each on the project's
machine: ten queries, two of them savepoints, three for the audit chain's
locked head), against a goal of 10 s for the whole import; in bulk, preview
and apply take about 2 s. See docs/decisions/0011-spreadsheets.md and
bench/bench_import.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tinnhiem.campaigns.models import Agency, Block, Official, VoteRound
from tinnhiem.campaigns.services import agency_create, block_create, round_profile
from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.spreadsheets import (
    AGENCIES,
    CSV_CONTENT_TYPE,
    OFFICIALS,
    XLSX_CONTENT_TYPE,
    Issue,
    Preview,
    Row,
    Schema,
    Severity,
    export_csv,
    export_xlsx,
    parse_file,
    same_key,
    template_xlsx,
)
from tinnhiem.spreadsheets.text import loose_key

DATABASE = "database"


def round_scope(vote_round: VoteRound) -> str:
    return f"vote_round:{vote_round.pk}"


@dataclass
class ImportResult:
    """What an import wrote."""

    blocks: list[Block] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    audit_entry: AuditEntry | None = None

    @property
    def counts(self) -> dict[str, int]:
        return {
            "blocks": len(self.blocks),
            "agencies": len(self.agencies),
            "officials": len(self.officials),
        }


def _issue(
    code: str,
    vi: str,
    en: str,
    preview: Preview,
    row: Row,
    key: str,
    severity: Severity = Severity.ERROR,
) -> Issue:
    column = next(
        (c.letter for c in preview.columns if c.sheet == row.sheet and c.field == key), None
    )
    return Issue(
        code,
        severity,
        vi,
        en,
        sheet=row.sheet,
        row=row.number,
        column=column,
        field=key,
        origin=DATABASE,
    )


def _file_issue(code: str, vi: str, en: str) -> Issue:
    return Issue(code, Severity.ERROR, vi, en, origin=DATABASE)


@dataclass
class _Plan:
    """Blocks and agencies an import would create, by name, in file order."""

    blocks: dict[str, str] = field(default_factory=dict)  # key -> name
    agencies: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (name, block)


class _RoundIndex:
    """The round's blocks, agencies and officials, keyed for comparison."""

    def __init__(self, vote_round: VoteRound) -> None:
        self.blocks = {same_key(b.name): b for b in Block.objects.filter(round=vote_round)}
        agencies = list(Agency.objects.filter(round=vote_round).select_related("block"))
        self.agencies = {same_key(a.name): a for a in agencies}
        self.loose_agencies = {loose_key(a.name): a for a in agencies}
        self.loose_blocks = {loose_key(b.name): b for b in self.blocks.values()}
        self.officials: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for name, agency_id, agency_name in Official.objects.filter(round=vote_round).values_list(
            "full_name", "agency_id", "agency__name"
        ):
            self.officials[same_key(name)].append((agency_id, agency_name))


def _check_agency_and_block(
    preview: Preview,
    row: Row,
    index: _RoundIndex,
    plan: _Plan,
    create_missing: bool,
    issues: list[Issue],
) -> Agency | None:
    agency_name = row.text("agency")
    block_name = row.text("block")
    if not agency_name:
        return None
    agency = index.agencies.get(same_key(agency_name))
    if agency is not None:
        if block_name and same_key(block_name) != same_key(agency.block.name):
            issues.append(
                _issue(
                    "agency_other_block",
                    f"“{agency.name}” thuộc khối “{agency.block.name}” trong kế hoạch, không"
                    f" phải khối “{block_name}”.",
                    f"“{agency.name}” is in block “{agency.block.name}” in this round, not"
                    f" “{block_name}”.",
                    preview,
                    row,
                    "block",
                )
            )
        return agency
    similar = index.loose_agencies.get(loose_key(agency_name))
    hint_vi = f" Có phải “{similar.name}”?" if similar is not None else ""
    hint_en = f" Did you mean “{similar.name}”?" if similar is not None else ""
    if similar is not None or not create_missing or not block_name:
        if similar is not None:
            how_vi, how_en = "", ""
        elif not create_missing:
            how_vi = (
                " Hãy thêm cơ quan vào kế hoạch trước, hoặc chọn tạo mới các cơ quan chưa có"
                " (cần cột “Khối”)."
            )
            how_en = " Add the agency to the round first, or choose to create missing agencies."
        else:
            how_vi = " Ghi “Khối” của cơ quan ở dòng này để tạo mới cơ quan."
            how_en = " Give the agency's block on this row to create it."
        issues.append(
            _issue(
                "unknown_agency",
                f"Cơ quan, đơn vị “{agency_name}” chưa có trong kế hoạch.{hint_vi}{how_vi}",
                f"Agency “{agency_name}” is not in this round.{hint_en}{how_en}",
                preview,
                row,
                "agency",
            )
        )
        return None
    akey = same_key(agency_name)
    if akey in plan.agencies:
        return None
    bkey = same_key(block_name)
    if bkey not in index.blocks and bkey not in plan.blocks:
        similar_block = index.loose_blocks.get(loose_key(block_name))
        if similar_block is not None:
            issues.append(
                _issue(
                    "unknown_block",
                    f"Khối “{block_name}” chưa có trong kế hoạch. Có phải “{similar_block.name}”?",
                    f"Block “{block_name}” is not in this round. Did you mean"
                    f" “{similar_block.name}”?",
                    preview,
                    row,
                    "block",
                )
            )
            return None
        plan.blocks[bkey] = block_name
    block = index.blocks.get(bkey)
    plan.agencies[akey] = (agency_name, block.name if block is not None else plan.blocks[bkey])
    return None


def _check_officials(vote_round: VoteRound, preview: Preview, *, create_missing: bool) -> Preview:
    scope = round_scope(vote_round)
    if not preview.rows:
        return preview.with_issues((), scope=scope)
    index = _RoundIndex(vote_round)
    plan = _Plan()
    issues: list[Issue] = []
    for row in preview.rows:
        agency = _check_agency_and_block(preview, row, index, plan, create_missing, issues)
        name = row.text("full_name")
        if not name:
            continue
        existing = index.officials.get(same_key(name), [])
        same_agency = [a for a in existing if agency is not None and a[0] == agency.pk]
        if same_agency:
            issues.append(
                _issue(
                    "already_in_round",
                    f"“{name}” đã có trong kế hoạch, cùng cơ quan “{same_agency[0][1]}”.",
                    f"“{name}” is already in this round, same agency “{same_agency[0][1]}”.",
                    preview,
                    row,
                    "full_name",
                )
            )
        elif existing:
            where = ", ".join(sorted({a[1] for a in existing}))
            issues.append(
                _issue(
                    "namesake_in_round",
                    f"Kế hoạch đã có người cùng họ tên ở {where}: nếu là cùng một người, kiểm tra"
                    " số nơi lấy phiếu.",
                    f"The round already has someone of the same name at {where}: if it is the"
                    " same person, check the number of places.",
                    preview,
                    row,
                    "full_name",
                    Severity.WARNING,
                )
            )
    return preview.with_issues(
        issues,
        scope=scope,
        new_blocks=tuple(plan.blocks.values()),
        new_agencies=tuple(name for name, _ in plan.agencies.values()),
    )


def officials_import_preview(
    *,
    vote_round: VoteRound,
    data: bytes,
    filename: str,
    sheet: str | None = None,
    create_missing: bool = False,
    today: date | None = None,
) -> Preview:
    """Read a list of officials and check it against the round. Writes nothing.

    ``create_missing``: an agency the round does not have is created (with its
    block, when new) if its row names a block; otherwise it is an error. What
    would be created is in ``preview.new_blocks`` and ``preview.new_agencies``.
    """
    profile = round_profile(vote_round)
    preview = parse_file(
        OFFICIALS,
        data,
        filename,
        sheet=sheet,
        max_places=profile.params.max_places,
        today=today or timezone.localdate(),
    )
    return _check_officials(vote_round, preview, create_missing=create_missing)


def refuse_errors(preview: Preview) -> None:
    errors = preview.errors
    if errors:
        first = "; ".join(e.text_vi for e in errors[:3])
        more = f" (và {len(errors) - 3} lỗi khác)" if len(errors) > 3 else ""
        raise ServiceError(
            "import_has_errors",
            f"Tệp còn {len(errors)} lỗi, chưa nhập được: {first}{more}.",
        )


def refuse_scope(preview: Preview, kind: str, scope: str) -> None:
    if preview.kind != kind:
        raise ServiceError("import_wrong_kind", "Bản xem trước này không phải danh sách cần nhập.")
    if preview.scope != scope:
        raise ServiceError(
            "import_other_scope",
            "Bản xem trước này được kiểm tra cho nơi khác; hãy tải tệp lên lại.",
        )


def _recheck(vote_round: VoteRound, preview: Preview, check: Any, **kwargs: Any) -> Preview:
    """Check the preview again now, inside the transaction; refuse if the
    database changed so that it has errors or would create something new."""
    fresh: Preview = check(vote_round, preview.without_origin(DATABASE), **kwargs)
    if fresh.has_errors:
        first = "; ".join(e.text_vi for e in fresh.errors[:3])
        raise ServiceError(
            "import_has_errors",
            f"Dữ liệu đã thay đổi từ lúc xem trước, tệp nay có lỗi: {first}. Hãy tải tệp lên lại.",
        )
    if not set(fresh.new_blocks) <= set(preview.new_blocks) or not set(fresh.new_agencies) <= set(
        preview.new_agencies
    ):
        raise ServiceError(
            "import_stale",
            "Dữ liệu đã thay đổi từ lúc xem trước (khối, cơ quan). Hãy tải tệp lên lại.",
        )
    return fresh


def _create_blocks_and_agencies(
    acting_user: Any, vote_round: VoteRound, preview: Preview, result: ImportResult
) -> dict[str, Agency]:
    """Create the planned blocks and agencies (in file order); all agencies by key."""
    blocks = {same_key(b.name): b for b in Block.objects.filter(round=vote_round)}
    agencies = {same_key(a.name): a for a in Agency.objects.filter(round=vote_round)}
    new_agencies = {same_key(n) for n in preview.new_agencies}
    block_order = (Block.objects.filter(round=vote_round).aggregate(m=Max("order"))["m"]) or 0
    agency_order = (Agency.objects.filter(round=vote_round).aggregate(m=Max("order"))["m"]) or 0
    for row in preview.rows:
        akey = same_key(row.text("agency"))
        if akey not in new_agencies or akey in agencies:
            continue
        bkey = same_key(row.text("block"))
        block = blocks.get(bkey)
        if block is None:
            block_order += 1
            block = block_create(
                acting_user=acting_user,
                vote_round=vote_round,
                name=row.text("block"),
                order=block_order,
            )
            blocks[bkey] = block
            result.blocks.append(block)
        agency_order += 1
        agency = agency_create(
            acting_user=acting_user, block=block, name=row.text("agency"), order=agency_order
        )
        agencies[akey] = agency
        result.agencies.append(agency)
    return agencies


@transaction.atomic
def officials_import_apply(
    *, acting_user: Any, vote_round: VoteRound, preview: Preview
) -> ImportResult:
    """Write an accepted preview: new blocks and agencies, then every official,
    in one transaction; one audit entry lists the officials created.

    Refused with ``import_has_errors`` (the preview, or the preview checked
    again now, has errors), ``import_stale`` (the database changed so that
    applying would create blocks or agencies the preview did not show),
    ``import_other_scope`` or ``import_wrong_kind``."""
    refuse_scope(preview, OFFICIALS.kind, round_scope(vote_round))
    refuse_errors(preview)
    # One import at a time per round: the check below and the writes see the same data.
    VoteRound.objects.select_for_update().filter(pk=vote_round.pk).first()
    _recheck(vote_round, preview, _check_officials, create_missing=True)
    result = ImportResult()
    agencies = _create_blocks_and_agencies(acting_user, vote_round, preview, result)
    objs = [
        Official(
            round=vote_round,
            agency=agencies[same_key(row.text("agency"))],
            full_name=row.text("full_name"),
            position=row.text("position"),
            appointed_or_elected_on=row.date("appointed_or_elected_on"),
            reappointed_same_post=row.flag("reappointed_same_post"),
            retirement_notice=row.flag("retirement_notice"),
            illness_leave_since=row.date("illness_leave_since"),
            medical_certificate=row.flag("medical_certificate"),
            in_post_since=row.date("in_post_since"),
        )
        for row in preview.rows
    ]
    result.officials = Official.objects.bulk_create(objs, batch_size=500)
    listed = [[o.pk, o.full_name, o.position, o.agency.name] for o in result.officials]
    result.audit_entry = audit(
        actor=acting_user,
        action="officials.import",
        obj=vote_round,
        summary=f"Nhập {len(objs)} cán bộ từ tệp {preview.filename}",
        after={
            "file": preview.filename,
            "sha256": preview.sha256,
            "format": preview.file_format,
            "count": len(objs),
            "blocks_created": [b.name for b in result.blocks],
            "agencies_created": [a.name for a in result.agencies],
            "warnings": len(preview.warnings),
            "fields": ["id", "full_name", "position", "agency"],
            "officials": listed,
        },
    )
    return result


# ------------------------------------------------------------------ agencies


def _check_agencies(
    vote_round: VoteRound, preview: Preview, *, create_missing: bool = True
) -> Preview:
    scope = round_scope(vote_round)
    index = _RoundIndex(vote_round)
    plan = _Plan()
    issues: list[Issue] = []
    for row in preview.rows:
        agency_name, block_name = row.text("agency"), row.text("block")
        if not agency_name or not block_name:
            continue
        existing = index.agencies.get(same_key(agency_name))
        if existing is not None:
            if same_key(existing.block.name) == same_key(block_name):
                issues.append(
                    _issue(
                        "agency_exists",
                        f"“{existing.name}” đã có trong kế hoạch; dòng này được bỏ qua.",
                        f"“{existing.name}” is already in this round; this row is skipped.",
                        preview,
                        row,
                        "agency",
                        Severity.WARNING,
                    )
                )
            else:
                issues.append(
                    _issue(
                        "agency_other_block",
                        f"“{existing.name}” đã có trong kế hoạch, thuộc khối"
                        f" “{existing.block.name}”, không phải khối “{block_name}”.",
                        f"“{existing.name}” is already in this round, in block"
                        f" “{existing.block.name}”, not “{block_name}”.",
                        preview,
                        row,
                        "block",
                    )
                )
            continue
        _check_agency_and_block(preview, row, index, plan, True, issues)
    return preview.with_issues(
        issues,
        scope=scope,
        new_blocks=tuple(plan.blocks.values()),
        new_agencies=tuple(name for name, _ in plan.agencies.values()),
    )


def agencies_import_preview(
    *, vote_round: VoteRound, data: bytes, filename: str, sheet: str | None = None
) -> Preview:
    """Read a list of blocks and agencies; agencies already in the round are skipped."""
    preview = parse_file(AGENCIES, data, filename, sheet=sheet)
    return _check_agencies(vote_round, preview)


@transaction.atomic
def agencies_import_apply(
    *, acting_user: Any, vote_round: VoteRound, preview: Preview
) -> ImportResult:
    """Create the new blocks and agencies of an accepted preview, through the
    services (one audit entry each), in one transaction."""
    refuse_scope(preview, AGENCIES.kind, round_scope(vote_round))
    refuse_errors(preview)
    VoteRound.objects.select_for_update().filter(pk=vote_round.pk).first()
    _recheck(vote_round, preview, _check_agencies)
    result = ImportResult()
    _create_blocks_and_agencies(acting_user, vote_round, preview, result)
    return result


# ------------------------------------------------------------------ exports


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str
    content_type: str


def make_download(schema: Schema, rows: list[dict[str, Any]], fmt: str, stem: str) -> Download:
    if fmt == "csv":
        return Download(export_csv(schema, rows), f"{stem}.csv", CSV_CONTENT_TYPE)
    if fmt == "xlsx":
        return Download(export_xlsx(schema, rows), f"{stem}.xlsx", XLSX_CONTENT_TYPE)
    raise ServiceError("unknown_format", "Định dạng tệp phải là xlsx hoặc csv.")


def officials_template() -> Download:
    return Download(template_xlsx(OFFICIALS), "mau-danh-sach-can-bo.xlsx", XLSX_CONTENT_TYPE)


def agencies_template() -> Download:
    return Download(template_xlsx(AGENCIES), "mau-danh-sach-co-quan.xlsx", XLSX_CONTENT_TYPE)


def officials_export(*, vote_round: VoteRound, fmt: str = "xlsx") -> Download:
    """The round's officials as a list that imports back unchanged."""
    rows = [
        {
            "full_name": o.full_name,
            "position": o.position,
            "agency": o.agency.name,
            "block": o.agency.block.name,
            "appointed_or_elected_on": o.appointed_or_elected_on,
            "reappointed_same_post": o.reappointed_same_post,
            "retirement_notice": o.retirement_notice,
            "illness_leave_since": o.illness_leave_since,
            "medical_certificate": o.medical_certificate,
            "in_post_since": o.in_post_since,
        }
        for o in Official.objects.filter(round=vote_round)
        .select_related("agency__block")
        .order_by("agency__block__order", "agency__order", "agency_id", "id")
    ]
    return make_download(OFFICIALS, rows, fmt, f"can-bo-ke-hoach-{vote_round.pk}")


def agencies_export(*, vote_round: VoteRound, fmt: str = "xlsx") -> Download:
    rows = [
        {"block": a.block.name, "agency": a.name}
        for a in Agency.objects.filter(round=vote_round)
        .select_related("block")
        .order_by("block__order", "order", "id")
    ]
    return make_download(AGENCIES, rows, fmt, f"co-quan-ke-hoach-{vote_round.pk}")
