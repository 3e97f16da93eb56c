"""Interchange formats: the conference record and the tally result (pure, no Django)."""

from tinnhiem.record.conference_record import (
    FORMAT,
    ConferenceRecord,
    RecordError,
    loads_record,
    parse_record,
    record_to_json,
)
from tinnhiem.record.tally_result import tally_result_to_json

__all__ = [
    "FORMAT",
    "ConferenceRecord",
    "RecordError",
    "loads_record",
    "parse_record",
    "record_to_json",
    "tally_result_to_json",
]
