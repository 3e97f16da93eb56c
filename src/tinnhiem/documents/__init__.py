"""Official documents: ballot papers, result reports, personal reports, statistics.

Pure Python over typst (PDF), python-docx (DOCX), openpyxl (XLSX) and segno
(QR codes); no Django. Every figure printed comes from the rules core
(:mod:`tinnhiem.rules`): counts, bands and consequences from
:func:`~tinnhiem.rules.tally`, statistics from
:func:`~tinnhiem.rules.round_statistics`, percentages and dates from
:mod:`tinnhiem.rules.numbers` (``92,95%``, ``ngày 05 tháng 02 năm 2024``).

* :func:`render_ballots`: ballot papers (Phụ lục 3) with serials, QR codes,
  fiducials and the published box layout (``tinnhiem.ballot-layout/1``).
* :func:`render_report_pdf`, :func:`render_report_docx`: the result report
  (Phụ lục 4) or the biên bản kiểm phiếu, ND30 or HD36 header, MẬT stamp,
  numbered copies.
* :func:`render_personal_docx`: the personal report (Phụ lục 2) with the
  dossier checklist (Phụ lục 1).
* :func:`round_outcomes`, :func:`build_statistics`, :func:`statistics_to_json`,
  :func:`render_statistics_xlsx`, :func:`render_statistics_pdf`: statistics of
  a round per block.

PDFs use only the package's Liberation Serif fonts (``fonts/``, SIL OFL 1.1).
"""

from tinnhiem.ballotcode import parse_qr_payload, qr_payload
from tinnhiem.documents.ballots import (
    BallotBatch,
    BallotText,
    Geometry,
    ballot_layout,
    random_serial,
    render_ballots,
)
from tinnhiem.documents.common import Style
from tinnhiem.documents.errors import DocumentError
from tinnhiem.documents.personal import PersonalDetails, render_personal_docx
from tinnhiem.documents.report import (
    ReportDetails,
    Variant,
    render_report_docx,
    render_report_pdf,
    report_model,
)
from tinnhiem.documents.stats import (
    StatisticsDetails,
    build_statistics,
    render_statistics_pdf,
    render_statistics_xlsx,
    round_outcomes,
    statistics_to_json,
)

__all__ = [
    "BallotBatch",
    "BallotText",
    "DocumentError",
    "Geometry",
    "PersonalDetails",
    "ReportDetails",
    "StatisticsDetails",
    "Style",
    "Variant",
    "ballot_layout",
    "build_statistics",
    "parse_qr_payload",
    "qr_payload",
    "random_serial",
    "render_ballots",
    "render_personal_docx",
    "render_report_docx",
    "render_report_pdf",
    "render_statistics_pdf",
    "render_statistics_xlsx",
    "report_model",
    "round_outcomes",
    "statistics_to_json",
]
