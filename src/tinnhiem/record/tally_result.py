"""The ``tinnhiem.tally-result/1`` format: what ``tinnhiem tally --json`` prints.

Exactly the shape documented in ``docs/conference-record.md`` (output
section) and ``docs/tally-result.schema.json``: no more keys, no fewer.
Percentages are strings with two decimals and a dot, rounded half up.
"""

from __future__ import annotations

from typing import Any

from tinnhiem.rules import Band, PersonOutcome, TallyResult, VoteKind

FORMAT = "tinnhiem.tally-result/1"


def tally_result_to_json(result: TallyResult, lang: str = "vi") -> dict[str, Any]:
    """The documented JSON object for a tally; messages in ``lang`` (vi|en)."""
    levels = result.kind.levels
    return {
        "format": FORMAT,
        "profile": result.profile.id,
        "kind": result.kind.value,
        "quorum": {
            "summoned": result.quorum.summoned,
            "present": result.quorum.present,
            "required": result.quorum.required,
            "met": result.quorum.met,
        },
        "ballots": {
            "issued": result.issued,
            "collected": result.collected,
            "whole_invalid": result.whole_invalid,
        },
        "base": {"basis": result.basis.value, "value": result.base},
        "warnings": [{"code": w.code.value, "message": w.message(lang)} for w in result.warnings],
        "candidates": [
            {
                "id": c.candidate.id,
                "name": c.candidate.name,
                "position": c.candidate.position,
                "valid": c.valid,
                "invalid": c.invalid,
                "counts": {lv.value: c.counts[lv] for lv in levels},
                "percent": {lv.value: c.percent(lv) for lv in levels},
                "band": c.band.value,
                "consequence": c.consequence(lang),
            }
            for c in result.candidates
        ],
    }


def outcomes_from_json(data: dict[str, Any], *, block: str, agency: str) -> list[PersonOutcome]:
    """Each person's outcome from a stored ``tinnhiem.tally-result/1`` object.

    A confirmed result is frozen with its tally; statistics read it back
    instead of counting every ballot again.
    """
    kind = VoteKind(data["kind"])
    base = int(data["base"]["value"])
    return [
        PersonOutcome(
            block=block,
            agency=agency,
            name=c["name"],
            position=c["position"],
            kind=kind,
            counts={lv: int(c["counts"][lv.value]) for lv in kind.levels},
            base=base,
            band=Band(c["band"]),
            consequence_vi=c["consequence"],
        )
        for c in data["candidates"]
    ]
