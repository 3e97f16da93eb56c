"""Importing 10,000 officials from an XLSX file: preview, then apply.

Builds a fresh SQLite database (migrated, in a temporary directory), one vote
round, and an XLSX list of 10,000 invented officials in 190 agencies of 6
blocks (none of them in the round yet, so the import also creates the blocks
and agencies), the way an office would hand it over: a title row, the header,
dates as Excel dates and as dd/mm/yyyy text, "x" marks. Then, for each
repetition, in a new round:

* ``parse``: ``tinnhiem.spreadsheets.preview_officials`` alone (pure: read the
  file, match the header, parse and check every row);
* ``preview``: ``officials_import_preview`` (the same plus the database
  checks: agencies, blocks, people already in the round), ``create_missing``;
* ``apply``: ``officials_import_apply`` (one transaction: 6 blocks and 190
  agencies through the services, 10,000 officials in bulk, one audit entry);
* ``total`` = preview + apply: the goal, < 10 s.

Each timing is ``time.perf_counter`` around one call, garbage collector on.
For the decision record, it also times (once) the parts of reading: calamine
alone, and openpyxl read-only over the same sheet (what a file with formulas
costs in addition), and, with ``--services N``, ``official_create`` called N
times in one transaction (the per-row service path the import does not use).

Run from the repository root::

    uv run python bench/bench_import.py              # about 30 s
    uv run python bench/bench_import.py --quick      # 1,000 officials, a few seconds
    uv run python bench/bench_import.py --services 1000
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import random
import shutil
import statistics
import sys
import time
from datetime import date, timedelta
from typing import Any

from _data import machine, machine_summary
from _django import new_database

GOAL_S = 10.0
BLOCKS = (
    "Khối Đảng, đoàn thể",
    "Khối chính quyền",
    "Khối doanh nghiệp nhà nước",
    "Khối sự nghiệp",
    "Khối huyện, thành phố",
    "Khối lực lượng vũ trang",
)
POSITIONS = (
    "Giám đốc",
    "Phó Giám đốc",
    "Chánh Văn phòng",
    "Trưởng phòng",
    "Phó Trưởng phòng",
    "Chi cục trưởng",
    "Phó Chi cục trưởng",
)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def make_rows(n: int, agencies: int, seed: int) -> list[dict[str, Any]]:
    """``n`` invented officials spread over ``agencies`` agencies of the 6 blocks."""
    from tinnhiem.demo.names import NameGenerator

    rng = random.Random(seed)
    gen = NameGenerator(seed)
    names = [f"{BLOCKS[i % len(BLOCKS)]}|Cơ quan số {i + 1:03d}" for i in range(agencies)]
    rows = []
    for i in range(n):
        block, agency = names[i % agencies].split("|")
        appointed = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
        rows.append(
            {
                "full_name": gen.name(),
                "position": POSITIONS[rng.randrange(len(POSITIONS))],
                "agency": agency,
                "block": block,
                # half as Excel dates, half as the dd/mm/yyyy text offices type
                "appointed_or_elected_on": appointed if i % 2 else appointed.strftime("%d/%m/%Y"),
                "reappointed_same_post": "x" if rng.random() < 0.2 else "",
                "retirement_notice": "x" if rng.random() < 0.03 else "",
                "in_post_since": appointed,
            }
        )
    return rows


def make_xlsx(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    keys = list(rows[0])
    headers = [
        "STT",
        "Họ và tên",
        "Chức vụ",
        "Cơ quan, đơn vị",
        "Khối",
        "Ngày bổ nhiệm",
        "Bổ nhiệm lại",
        "Chờ nghỉ hưu",
        "Giữ chức vụ từ ngày",
    ]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["DANH SÁCH CÁN BỘ LẤY PHIẾU TÍN NHIỆM NĂM 2025 (số liệu thử nghiệm)"])
    ws.append([])
    ws.append(headers)
    for i, r in enumerate(rows, start=1):
        ws.append([i, *(r[k] for k in keys)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def timed(fn: Any) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def reading_parts(data: bytes) -> dict[str, float]:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    def calamine() -> int:
        book = CalamineWorkbook.from_object(io.BytesIO(data))
        return len(book.get_sheet_by_name("Danh sách").to_python(skip_empty_area=False))

    def openpyxl_ro() -> int:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        n = sum(1 for _ in wb["Danh sách"].iter_rows())
        wb.close()
        return n

    return {
        "calamine_read_s": min(timed(calamine)[0] for _ in range(3)),
        "openpyxl_read_only_s": min(timed(openpyxl_ro)[0] for _ in range(2)),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    tmp = new_database("import")["data_dir"]
    from tinnhiem.accounts.models import User
    from tinnhiem.campaigns.imports import officials_import_apply, officials_import_preview
    from tinnhiem.campaigns.models import Official
    from tinnhiem.campaigns.services import (
        agency_create,
        block_create,
        official_create,
        round_create,
    )
    from tinnhiem.common.audit import verify_chain
    from tinnhiem.spreadsheets import preview_officials

    try:
        user = User.objects.create(username="bench", full_name="Bench", is_organiser=True)
        rows = make_rows(args.officials, args.agencies, args.seed)
        data = make_xlsx(rows)
        log(f"bench_import: {args.officials} officials, {len(data) / 1024:.0f} KiB of XLSX")

        def new_round(i: int) -> Any:
            return round_create(
                acting_user=user,
                number=f"{i + 1}-KH/BENCH",
                title="Kế hoạch thử nghiệm",
                issuing_body="Ban Tổ chức (thử nghiệm)",
                issued_on=date(2025, 1, 1),
                vote_year=2025,
                profile_id="qd96-2023",
            )

        parse_s, preview_s, apply_s, total_s = [], [], [], []
        counts: dict[str, int] = {}
        for i in range(args.repeat):
            vote_round = new_round(i)
            t_parse, parsed = timed(lambda: preview_officials(data, "danh-sach.xlsx"))
            assert parsed.ok, parsed.errors[:3]
            t_prev, preview = timed(
                lambda vr=vote_round: officials_import_preview(
                    vote_round=vr, data=data, filename="danh-sach.xlsx", create_missing=True
                )
            )
            assert preview.ok, preview.errors[:3]
            t_apply, result = timed(
                lambda vr=vote_round, p=preview: officials_import_apply(
                    acting_user=user, vote_round=vr, preview=p
                )
            )
            assert Official.objects.filter(round=vote_round).count() == args.officials
            counts = result.counts
            parse_s.append(t_parse)
            preview_s.append(t_prev)
            apply_s.append(t_apply)
            total_s.append(t_prev + t_apply)
            log(
                f"  run {i + 1}: parse {t_parse:.2f} s, preview {t_prev:.2f} s,"
                f" apply {t_apply:.2f} s, total {t_prev + t_apply:.2f} s"
            )
        chain = verify_chain()
        assert chain is None, chain

        services: dict[str, Any] = {}
        if args.services:
            from django.db import transaction

            vote_round = new_round(args.repeat)
            block = block_create(acting_user=user, vote_round=vote_round, name=BLOCKS[0])
            agency = agency_create(acting_user=user, block=block, name="Cơ quan số 001")

            def by_service() -> None:
                with transaction.atomic():
                    for r in rows[: args.services]:
                        official_create(
                            acting_user=user,
                            agency=agency,
                            full_name=r["full_name"],
                            position=r["position"],
                        )

            t, _ = timed(by_service)
            services = {
                "officials": args.services,
                "seconds": round(t, 3),
                "per_official_ms": round(1000 * t / args.services, 3),
                "extrapolated_s": round(t * args.officials / args.services, 1),
            }
            log(f"  official_create × {args.services}: {t:.2f} s")

        def summary(xs: list[float]) -> dict[str, float]:
            return {"best": round(min(xs), 3), "median": round(statistics.median(xs), 3)}

        return {
            "officials": args.officials,
            "agencies": args.agencies,
            "blocks": len(BLOCKS),
            "file_kib": round(len(data) / 1024),
            "repeat": args.repeat,
            "created": counts,
            "parse_s": summary(parse_s),
            "preview_s": summary(preview_s),
            "apply_s": summary(apply_s),
            "total_s": summary(total_s),
            "goal_s": GOAL_S,
            "goal_met": statistics.median(total_s) < GOAL_S,
            "reading": {k: round(v, 3) for k, v in reading_parts(data).items()},
            "services": services,
        }
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--officials", type=int, default=10_000)
    p.add_argument("--agencies", type=int, default=190)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--services", type=int, default=0, metavar="N")
    p.add_argument("--quick", action="store_true", help="1,000 officials, one run")
    p.add_argument("--json", action="store_true")
    p.add_argument("--check", action="store_true", help="exit 1 when the goal is not met")
    args = p.parse_args()
    if args.quick:
        args.officials, args.repeat = 1_000, 1
    m = machine()
    result = run(args)
    result["machine"] = m
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(machine_summary(m))
        print(
            f"{result['officials']} officials, {result['agencies']} agencies, "
            f"{result['file_kib']} KiB, {result['repeat']} runs (SQLite)"
        )
        print("| step | best | median |")
        print("|---|---|---|")
        for key in ("parse_s", "preview_s", "apply_s", "total_s"):
            s = result[key]
            print(f"| {key[:-2]} | {s['best']:.2f} s | {s['median']:.2f} s |")
        r = result["reading"]
        print(
            f"calamine read {r['calamine_read_s']:.3f} s; "
            f"openpyxl read-only {r['openpyxl_read_only_s']:.3f} s"
        )
        if result["services"]:
            s = result["services"]
            print(
                f"official_create × {s['officials']}: {s['seconds']} s "
                f"({s['per_official_ms']} ms each; × {result['officials']} ≈ "
                f"{s['extrapolated_s']} s)"
            )
        print(f"goal total < {GOAL_S:.0f} s: {'met' if result['goal_met'] else 'NOT met'}")
    return 1 if args.check and not result["goal_met"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
