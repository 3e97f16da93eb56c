"""The trace line (register number, who downloaded, when) on the round
statistics as XLSX: every sheet gets it as its printed page footer, and the
first sheet as its last row, so that it shows on screen too. The workbook is
edited at the XML level: loading it with openpyxl would drop its charts. (The
PDF has it through :class:`tinnhiem.documents.StatisticsDetails.trace`.)
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

_ROW = re.compile(rb'<row r="(\d+)"')
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+\d+):([A-Z]+)(\d+)"/>')
_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")


def _footer_xml(trace: str) -> bytes:
    # "&C" centres the footer; "&" itself is written "&&" in a header/footer.
    text = escape("&C" + trace.replace("&", "&&"))
    return f"<headerFooter><oddFooter>{text}</oddFooter></headerFooter>".encode()


def _stamp_sheet(xml: bytes, trace: str, last_row: bool) -> bytes:
    if last_row:
        rows = [int(m) for m in _ROW.findall(xml)]
        r = (max(rows) if rows else 0) + 2
        cell = (
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{escape(trace)}</t></is></c></row>'
        ).encode()
        # Keep the sheet's used range (its <dimension>) covering the new row.
        xml = _DIMENSION.sub(
            lambda m: (
                b'<dimension ref="%s:%s%d"/>' % (m.group(1), m.group(2), max(int(m.group(3)), r))
            ),
            xml,
            count=1,
        )
        if b"<sheetData/>" in xml:
            xml = xml.replace(b"<sheetData/>", b"<sheetData>" + cell + b"</sheetData>", 1)
        else:
            xml = xml.replace(b"</sheetData>", cell + b"</sheetData>", 1)
    footer = _footer_xml(trace)
    # headerFooter follows pageMargins / pageSetup and precedes drawing (ECMA-376 order).
    for anchor in (b"<drawing", b"<legacyDrawing", b"<tableParts", b"</worksheet>"):
        at = xml.find(anchor)
        if at >= 0:
            return xml[:at] + footer + xml[at:]
    return xml  # pragma: no cover - every worksheet ends with </worksheet>


def xlsx_with_trace(content: bytes, trace: str) -> bytes:
    """``content`` (an XLSX written by openpyxl) with ``trace`` on every sheet."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if _SHEET.fullmatch(info.filename):
                data = _stamp_sheet(data, trace, info.filename.endswith("sheet1.xml"))
            target.writestr(info, data)
    return out.getvalue()
