"""Official documents (执法文书、指令书、通报) rendered from records as Word (.docx) and PDF.

A document is data (`OfficialDocument`: issuer, title, 文号, recipient, blocks, signature lines, date); the two
renderers lay it out in the usual government style (GB/T 9704 inspired: red issuer line, centred title, 文号 under
it). PDFs embed a TrueType CJK font (WenQuanYi Micro Hei from Debian's fonts-wqy-microhei, or the file named by
ANJIAN_CJK_FONT) so they print the same everywhere.
"""

import io
import os
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from urllib.parse import quote

from django.db import IntegrityError, models, transaction
from django.http import HttpResponse

# TrueType outlines only: reportlab cannot embed CFF/OpenType-PS fonts such as Noto Sans CJK.
CJK_FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # Debian: fonts-wqy-microhei
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # Debian: fonts-wqy-zenhei
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # Debian: fonts-arphic-uming
]


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    indent: bool = True  # first-line indent of two characters, as official documents do


@dataclass
class Heading:
    text: str


@dataclass
class KeyValues:
    pairs: list[tuple[str, str]]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass
class OfficialDocument:
    issuer: str
    title: str
    number: str = ""
    recipient: str = ""
    blocks: list = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)  # labels of signature lines, e.g. "检查人员（签字）"
    issued_on: date | None = None
    seal: str = ""  # the issuing body printed above the date, e.g. "青山区应急管理局（印章）"
    copy_to: str = ""  # 抄送
    note: str = ""  # small print at the bottom (e.g. appeal rights)


# --- numbering ---------------------------------------------------------------------------------------------
def next_document_number(key: str, year: int) -> int:
    """The next number of a document series, gap-free: call it inside the transaction that creates the document,
    so a rollback returns the number. Concurrent callers serialise on the counter row (SELECT … FOR UPDATE)."""
    from .models import DocumentCounter

    with transaction.atomic():
        try:
            counter, _ = DocumentCounter.objects.select_for_update().get_or_create(key=key, year=year)
        except IntegrityError:  # another transaction created the row first
            counter = DocumentCounter.objects.select_for_update().get(key=key, year=year)
        DocumentCounter.objects.filter(pk=counter.pk).update(last_number=models.F("last_number") + 1)
        counter.refresh_from_db(fields=["last_number"])
        return counter.last_number


def format_document_number(prefix: str, year: int, number: int) -> str:
    """e.g. 青应急责改〔2026〕12号 — the bracket style of GB/T 9704-2012 §7.2.3."""
    return f"{prefix}〔{year}〕{number}号"


# --- Word --------------------------------------------------------------------------------------------------
def render_docx(doc: OfficialDocument) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")

    def para(text, size=14, bold=False, align=None, colour=None, indent=False, font=None):
        p = document.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if font:
            run.font.name = font
            run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
        if colour:
            run.font.color.rgb = RGBColor(*colour)
        return p

    para(doc.issuer, 22, True, WD_ALIGN_PARAGRAPH.CENTER, colour=(0xC0, 0, 0), font="宋体")
    para(doc.title, 20, True, WD_ALIGN_PARAGRAPH.CENTER, font="宋体")
    if doc.number:
        para(doc.number, 14, align=WD_ALIGN_PARAGRAPH.CENTER)
    if doc.recipient:
        para(f"{doc.recipient}：")
    for block in doc.blocks:
        if isinstance(block, Heading):
            para(block.text, 15, True, font="黑体")
        elif isinstance(block, Paragraph):
            para(block.text, bold=block.bold, indent=block.indent)
        elif isinstance(block, KeyValues):
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for key, value in block.pairs:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = key, value or ""
        elif isinstance(block, Table):
            table = document.add_table(rows=1, cols=len(block.headers))
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
                cell.text = header
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row, strict=False):
                    cell.text = "" if value is None else str(value)
    for label in doc.signatures:
        para(f"{label}：____________　　日期：________", indent=False)
    if doc.seal:
        para(doc.seal, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if doc.issued_on:
        para(
            f"{doc.issued_on.year}年{doc.issued_on.month}月{doc.issued_on.day}日",
            align=WD_ALIGN_PARAGRAPH.RIGHT,
        )
    if doc.copy_to:
        para(f"抄送：{doc.copy_to}", 12)
    if doc.note:
        para(doc.note, 11)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ---------------------------------------------------------------------------------------------------
@cache
def cjk_font_name() -> str:
    """Register and return an embeddable CJK TrueType font; fall back to a CID font (not embedded)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    candidates = list(CJK_FONT_CANDIDATES)
    if os.environ.get("ANJIAN_CJK_FONT"):
        candidates.insert(
            0, (os.environ["ANJIAN_CJK_FONT"], int(os.environ.get("ANJIAN_CJK_FONT_INDEX", "0")))
        )
    for path, index in candidates:
        if os.path.exists(path):
            pdfmetrics.registerFont(TTFont("AnjianCJK", path, subfontIndex=index))
            return "AnjianCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def render_pdf(doc: OfficialDocument) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as T

    font = cjk_font_name()
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    body = ParagraphStyle("body", parent=base, firstLineIndent=24)
    issuer = ParagraphStyle(
        "issuer", parent=base, fontSize=20, leading=30, alignment=TA_CENTER, textColor=colors.red
    )
    title = ParagraphStyle("title", parent=base, fontSize=18, leading=28, alignment=TA_CENTER)
    centre = ParagraphStyle("centre", parent=base, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    heading = ParagraphStyle("heading", parent=base, fontSize=13, leading=22)
    cell = ParagraphStyle("cell", parent=base, fontSize=10, leading=14)
    small = ParagraphStyle("small", parent=base, fontSize=9, leading=13)

    def esc(text) -> str:
        from xml.sax.saxutils import escape

        return escape("" if text is None else str(text))

    story = [P(esc(doc.issuer), issuer), P(esc(doc.title), title)]
    if doc.number:
        story.append(P(esc(doc.number), centre))
    story.append(Spacer(1, 4 * mm))
    if doc.recipient:
        story.append(P(esc(doc.recipient) + "：", base))
    grid = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for block in doc.blocks:
        if isinstance(block, Heading):
            story.append(P(f"<b>{esc(block.text)}</b>", heading))
        elif isinstance(block, Paragraph):
            text = f"<b>{esc(block.text)}</b>" if block.bold else esc(block.text)
            story.append(P(text, body if block.indent else base))
        elif isinstance(block, KeyValues):
            data = [[P(esc(k), cell), P(esc(v), cell)] for k, v in block.pairs]
            story.append(T(data, colWidths=[38 * mm, 118 * mm], style=grid))
            story.append(Spacer(1, 3 * mm))
        elif isinstance(block, Table):
            data = [[P(f"<b>{esc(h)}</b>", cell) for h in block.headers]]
            data += [[P(esc(v), cell) for v in row] for row in block.rows]
            story.append(T(data, repeatRows=1, style=grid))
            story.append(Spacer(1, 3 * mm))
    story.append(Spacer(1, 6 * mm))
    for label in doc.signatures:
        story.append(P(f"{esc(label)}：________________　　日期：____________", base))
    if doc.seal:
        story.append(Spacer(1, 6 * mm))
        story.append(P(esc(doc.seal), right))
    if doc.issued_on:
        story.append(P(f"{doc.issued_on.year}年{doc.issued_on.month}月{doc.issued_on.day}日", right))
    if doc.copy_to:
        story.append(Spacer(1, 4 * mm))
        story.append(P(f"抄送：{esc(doc.copy_to)}", small))
    if doc.note:
        story.append(P(esc(doc.note), small))
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=30 * mm,
        bottomMargin=28 * mm,
        title=doc.title,
        author=doc.issuer,
    ).build(story)
    return out.getvalue()


def document_response(doc: OfficialDocument, fmt: str, filename: str) -> HttpResponse:
    """`fmt` is "docx" or "pdf"."""
    if fmt == "pdf":
        content, mime = render_pdf(doc), "application/pdf"
    elif fmt == "docx":
        content = render_docx(doc)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise ValueError(f"unknown document format {fmt!r}")
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.{fmt}"
    return response
