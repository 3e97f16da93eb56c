"""python-docx helpers: the ND30 page, Times New Roman everywhere, real tables.

Only documented python-docx API plus a few WordprocessingML elements that it
does not wrap (east-Asian font name, table borders, repeated header rows,
page-number field, page numbering restart). Every element written here is
plain OOXML that Word and LibreOffice both read and edit.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

FONT = "Times New Roman"
RED = RGBColor(0xFF, 0x00, 0x00)
MARGINS_MM = (20, 20, 30, 15)
"""Top, bottom, left, right (ND30 ranges 20–25, 20–25, 30–35, 15–20)."""
TEXT_WIDTH_MM = 210 - MARGINS_MM[2] - MARGINS_MM[3]


_SECT_AFTER_PGNUM = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)
_TBL_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
_TR_AFTER_CANTSPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
_TR_AFTER_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden")
_PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def insert_child(parent: Any, child: Any, successors: tuple[str, ...]) -> Any:
    """Insert ``child`` before the first of ``successors`` present: OOXML order matters."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return child
    parent.append(child)
    return child


def new_document(body_pt: float = 14) -> DocxDocument:
    """An empty A4 document: ND30 margins, Times New Roman in every script, Vietnamese."""
    doc = Document()
    section = doc.sections[0]
    setup_page(section)
    for style_name in ("Normal", "Table Grid", "Header", "Footer"):
        style = doc.styles[style_name]
        font = style.font
        font.name = FONT
        font.color.rgb = RGBColor(0, 0, 0)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "vi-VN")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(body_pt)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    pf.line_spacing = 1.15
    # The theme fonts of the default template are never used: every run is TNR.
    return doc


def setup_page(section: Section) -> None:
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    top, bottom, left, right = MARGINS_MM
    section.top_margin = Mm(top)
    section.bottom_margin = Mm(bottom)
    section.left_margin = Mm(left)
    section.right_margin = Mm(right)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def to_bytes(doc: DocxDocument) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def run(
    paragraph: Paragraph,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    color: RGBColor | None = None,
) -> Run:
    r = paragraph.add_run(text)  # the font (TNR in every script) comes from the styles
    if size is not None:
        r.font.size = Pt(size)
    r.bold = bold or None
    r.italic = italic or None
    if underline:
        r.underline = True
    if color is not None:
        r.font.color.rgb = color
    return r


def para(
    container: DocxDocument | _Cell,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    after: float | None = None,
    before: float | None = None,
    single: bool = False,
    color: RGBColor | None = None,
    underline: bool = False,
) -> Paragraph:
    """A paragraph with one run; ``indent`` is the 1,27 cm first-line indent of the body."""
    p = container.add_paragraph()
    if text:
        run(p, text, size=size, bold=bold, italic=italic, color=color, underline=underline)
    pf = p.paragraph_format
    if align is not None:
        p.alignment = align
    if indent:
        pf.first_line_indent = Cm(1.27)
    if after is not None:
        pf.space_after = Pt(after)
    if before is not None:
        pf.space_before = Pt(before)
    if single:
        pf.line_spacing = 1.0
    return p


def cell_paragraph(cell: _Cell) -> Paragraph:
    """The cell's first (empty) paragraph, spacing reset."""
    p: Paragraph = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    return p


def cell_para(
    cell: _Cell,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
) -> Paragraph:
    """A further paragraph in a cell, single-spaced, nothing after."""
    p: Paragraph = cell.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    if text:
        run(p, text, size=size, bold=bold, italic=italic)
    return p


def rule(container: DocxDocument | _Cell, length_mm: float, width_mm: float) -> Paragraph:
    """A centred solid rule ``length_mm`` long in a box ``width_mm`` wide (a bottom border)."""
    p = container.add_paragraph()
    pf = p.paragraph_format
    side = max((width_mm - length_mm) / 2, 0)
    pf.left_indent = Mm(side)
    pf.right_indent = Mm(side)
    pf.space_after = Pt(0)
    pf.space_before = Pt(0)
    pf.line_spacing = Pt(2)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    ppr = p._p.get_or_add_pPr()
    border = insert_child(ppr, OxmlElement("w:pBdr"), _PPR_AFTER_PBDR)
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    border.append(bottom)
    return p


def set_table_borders(table: Table, val: str = "nil", color: str = "000000", sz: int = 4) -> None:
    """Every border of the table (outer and inner) to ``val`` ("nil", "single", "double")."""
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = insert_child(tbl_pr, OxmlElement("w:tblBorders"), _TBL_AFTER_BORDERS)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = borders.find(qn(f"w:{edge}"))
        if el is None:
            el = OxmlElement(f"w:{edge}")
            borders.append(el)
        el.set(qn("w:val"), val)
        if val != "nil":
            el.set(qn("w:sz"), str(sz))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), color)


def set_cell_margins(table: Table, side_mm: float = 0.8, top_mm: float = 0.3) -> None:
    """Narrow cell margins, so that "STT" and "Tỷ lệ %" fit their columns."""
    mar = insert_child(table._tbl.tblPr, OxmlElement("w:tblCellMar"), ("w:tblLook", "w:tblCaption"))
    for edge, value in (("top", top_mm), ("left", side_mm), ("bottom", top_mm), ("right", side_mm)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(Mm(value).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)


def set_column_widths(table: Table, widths_mm: Iterable[float]) -> None:
    """Fixed column widths, in the grid (LibreOffice) and on every cell (Word)."""
    widths = list(widths_mm)
    table.autofit = False
    table._tbl.tblPr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Mm(w).twips)))
    for row in table.rows:
        for idx, cell in enumerate(row.cells):
            if idx < len(widths):
                cell.width = Mm(widths[idx])


def repeat_header(table: Table, rows: int) -> None:
    """Mark the first ``rows`` rows as header rows, repeated on every page."""
    for row in table.rows[:rows]:
        tr_pr = row._tr.get_or_add_trPr()
        el = insert_child(tr_pr, OxmlElement("w:tblHeader"), _TR_AFTER_HEADER)
        el.set(qn("w:val"), "true")


def cant_split(table: Table) -> None:
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        insert_child(tr_pr, OxmlElement("w:cantSplit"), _TR_AFTER_CANTSPLIT)


def middle(cell: _Cell) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def stamp(doc: DocxDocument, text: str, width_mm: float, height_mm: float) -> Table:
    """The secrecy stamp (ô 10a): a 1 × 1 table, red double border, red bold 13 pt text."""
    table: Table = doc.add_table(rows=1, cols=1)
    table.alignment = None
    set_table_borders(table, "double", color="FF0000", sz=4)
    set_column_widths(table, [width_mm])
    row = table.rows[0]
    row.height = Mm(height_mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    cell = row.cells[0]
    middle(cell)
    p = cell_paragraph(cell)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(p, text, size=13, bold=True, color=RED)
    return table


def page_number_header(section: Section, size: float = 13) -> None:
    """Page number centred in the top margin, not on the section's first page."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = run(p, "", size=size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
            if kind == "separate":
                t = OxmlElement("w:t")
                t.text = "2"
                r._r.append(t)


def restart_numbering(section: Section) -> None:
    """This section's pages count from 1 again."""
    sect_pr = section._sectPr
    pg = sect_pr.find(qn("w:pgNumType"))
    if pg is None:
        pg = insert_child(sect_pr, OxmlElement("w:pgNumType"), _SECT_AFTER_PGNUM)
    pg.set(qn("w:start"), "1")
