"""The result report and the biên bản as DOCX, from :func:`report.report_model`.

Same text as the PDF, built with python-docx: the letterhead is a borderless
two-column table (40 % | 60 % of the 165 mm text width), the rules are
paragraph borders, the secrecy stamp a 1 × 1 table with a red double
border, the results a real table whose three header rows repeat on every
page. Each copy is a section of its own whose page numbers restart at 1 and
whose first page has no number.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from tinnhiem.documents.docx_util import (
    TEXT_WIDTH_MM,
    cant_split,
    cell_para,
    cell_paragraph,
    middle,
    new_document,
    page_number_header,
    para,
    repeat_header,
    restart_numbering,
    rule,
    run,
    set_cell_margins,
    set_column_widths,
    set_table_borders,
    stamp,
    to_bytes,
)

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT_COL_MM = 66.0
RIGHT_COL_MM = TEXT_WIDTH_MM - LEFT_COL_MM


def _letterhead(doc: DocxDocument, h: dict[str, Any], copy_line: str) -> Paragraph:
    party = h["style"] == "hd36"
    size = 14 if party else 12.5
    table = doc.add_table(rows=1, cols=2)
    set_table_borders(table, "nil")
    set_column_widths(table, [LEFT_COL_MM, RIGHT_COL_MM])
    left, right = table.rows[0].cells
    p = cell_paragraph(left)
    p.alignment = CENTER
    if h["parent"]:
        run(p, h["parent"], size=size)
        p = cell_para(left)
        p.alignment = CENTER
    run(p, h["issuer"], size=size, bold=True)
    if party:
        cell_para(left, "*", size=size).alignment = CENTER
    else:
        rule(left, 22, LEFT_COL_MM)
    p = cell_para(left, h["number_line"], size=14 if party else 13)
    p.alignment = CENTER
    p.paragraph_format.space_before = Pt(4)

    p = cell_paragraph(right)
    p.alignment = CENTER
    if party:
        run(p, h["national_title"], size=15, bold=True)
        rule(right, 73, RIGHT_COL_MM)
    else:
        run(p, h["national_title"], size=12, bold=True)
        cell_para(right, h["national_motto"], size=13, bold=True).alignment = CENTER
        rule(right, 56, RIGHT_COL_MM)
    if h["date_line"] is not None:
        p = cell_para(right, h["date_line"], size=14 if party else 13, italic=True)
        p.alignment = CENTER
        p.paragraph_format.space_before = Pt(4)

    para(doc, "", after=0, single=True)
    if h["stamp"] is not None:
        s = h["stamp"]
        stamp(doc, s["text"], s["width_mm"], s["height_mm"])
    return para(doc, copy_line, size=12, after=0, before=3)


def _title(doc: DocxDocument, model: dict[str, Any], party: bool) -> None:
    para(doc, model["title"], size=15 if party else 14, bold=True, align=CENTER, after=0, before=8)
    para(doc, model["subtitle"], size=14, bold=True, align=CENTER, after=0, single=True)
    rule(doc, 50, TEXT_WIDTH_MM)
    para(doc, "", after=0, single=True)


def _results(doc: DocxDocument, table_model: dict[str, Any]) -> None:
    head = table_model["head"]
    levels: list[str] = table_model["levels"]
    n = len(levels)
    rows: list[list[str]] = table_model["rows"]
    cols = 4 + 2 * n
    table = doc.add_table(rows=3 + len(rows), cols=cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed = 10 + 12 + n * (11 + 15)
    name_w = (TEXT_WIDTH_MM - fixed) * 0.45
    widths = [10.0, name_w, TEXT_WIDTH_MM - fixed - name_w, 12.0]
    widths += [11.0, 15.0] * n
    set_column_widths(table, widths)
    set_cell_margins(table)

    def put(
        cell: _Cell, text: str, bold: bool = False, align: Any = CENTER, size: float = 11
    ) -> None:
        middle(cell)
        p = cell_paragraph(cell)
        p.alignment = align
        run(p, text, size=size, bold=bold)

    grid = table.rows
    for i, key in enumerate(("stt", "name", "position", "valid")):
        merged = grid[0].cells[i].merge(grid[2].cells[i])
        put(merged, head[key], bold=True, size=10 if key == "valid" else 11)
    put(grid[0].cells[4].merge(grid[0].cells[cols - 1]), head["levels"], bold=True)
    for j, label in enumerate(levels):
        put(grid[1].cells[4 + 2 * j].merge(grid[1].cells[5 + 2 * j]), label, bold=True)
        put(grid[2].cells[4 + 2 * j], head["count"], bold=True, size=10)
        put(grid[2].cells[5 + 2 * j], head["percent"], bold=True, size=10)
    for r, values in enumerate(rows):
        cells = grid[3 + r].cells  # one walk of the row, not one per cell
        for c, value in enumerate(values):
            put(cells[c], value, align=WD_ALIGN_PARAGRAPH.LEFT if c in (1, 2) else CENTER)
    repeat_header(table, 3)
    cant_split(table)


def _recipients(cell: _Cell, r: dict[str, Any], party: bool) -> None:
    p = cell_paragraph(cell)
    if party:
        run(p, r["heading"], size=12, underline=True)
    else:
        run(p, r["heading"], size=12, bold=True, italic=True)
    for line in [*r["lines"], *r["notes"]]:
        cell_para(cell, line, size=11)
    if r["drafter"]:
        cell_para(cell, r["drafter"], size=11)


def _signer(cell: _Cell, s: dict[str, Any], first: bool = True) -> None:
    p = cell_paragraph(cell) if first else cell_para(cell)
    p.alignment = CENTER
    run(p, s["authority"], bold=True)
    cell_para(cell, s["title"], bold=True).alignment = CENTER
    cell_para(cell, s["hint"], italic=True).alignment = CENTER
    for _ in range(4):
        cell_para(cell, "")
    cell_para(cell, s["name"], bold=True).alignment = CENTER


def _signatures(doc: DocxDocument, model: dict[str, Any], party: bool) -> None:
    members = model["members_signature"]
    table = doc.add_table(rows=1, cols=2)
    set_table_borders(table, "nil")
    half = TEXT_WIDTH_MM / 2
    set_column_widths(table, [half - 8, half + 8])
    left, right = table.rows[0].cells
    if members is None:
        _recipients(left, model["recipients"], party)
        _signer(right, model["signature"])
        return
    p = cell_paragraph(left)
    p.alignment = CENTER
    run(p, members["title"], bold=True)
    cell_para(left, members["hint"], italic=True).alignment = CENTER
    for name in members["names"]:
        for _ in range(3):
            cell_para(left, "")
        cell_para(left, name, bold=True).alignment = CENTER
    _signer(right, model["signature"])
    para(doc, "", after=0)
    cell = doc.add_table(rows=1, cols=1)
    set_table_borders(cell, "nil")
    set_column_widths(cell, [TEXT_WIDTH_MM])
    _recipients(cell.rows[0].cells[0], model["recipients"], party)


def build_report_docx(model: dict[str, Any]) -> bytes:
    """DOCX bytes of a report model, every copy in a section of its own.

    The first copy is built with python-docx; the others are XML copies of
    it (python-docx is slow per cell) that differ only in "Bản số". Each new
    section inherits the first one's header (page number, none on page 1)
    and its numbering restart.
    """
    party = model["header"]["style"] == "hd36"
    doc = new_document(body_pt=14 if party else 13)
    section = doc.sections[0]
    page_number_header(section)
    restart_numbering(section)
    if model.get("trace"):
        # Page 1 has its own (different first page) footer: both carry the line.
        for footer in (section.footer, section.first_page_footer):
            footer.is_linked_to_previous = False
            line = footer.paragraphs[0]
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = line.add_run(model["trace"])
            run.font.size = Pt(9)
    copies: list[str] = model["copies"]
    copy_paragraph = _letterhead(doc, model["header"], copies[0])
    _title(doc, model, party)
    para(doc, model["intro"], indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for line in model["figures"]:
        para(doc, line, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(doc, model["results_heading"], bold=True, indent=True)
    _results(doc, model["table"])
    para(doc, model["note"], italic=True, before=4)
    for line in model["section3"]:
        para(doc, line, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    if model["closing"] is not None:
        para(doc, model["closing"], indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _signatures(doc, model, party)

    body = doc.element.body
    first = [el for el in body if el.tag != qn("w:sectPr")]
    marker = first.index(copy_paragraph._p)
    for copy_line in copies[1:]:
        doc.add_section(WD_SECTION.NEW_PAGE)
        sentinel = body.sectPr
        for i, el in enumerate(first):
            clone = deepcopy(el)
            if i == marker:
                texts = clone.findall(".//" + qn("w:t"))
                texts[0].text = copy_line
                for extra in texts[1:]:
                    extra.text = ""
            sentinel.addprevious(clone)
    return to_bytes(doc)
