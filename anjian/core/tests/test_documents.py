"""Official documents: gap-free numbering, Word and PDF with an embedded Chinese font."""

import io
import threading
from datetime import date

import pytest
from django.db import connection, transaction

from anjian.core.documents import (
    KeyValues,
    OfficialDocument,
    Paragraph,
    Table,
    format_document_number,
    next_document_number,
    render_docx,
    render_pdf,
)

DOC = OfficialDocument(
    issuer="测试区应急管理局",
    title="责令限期整改指令书",
    number=format_document_number("测应急责改", 2026, 7),
    recipient="甲化工有限公司",
    blocks=[
        Paragraph("经查，你单位存在下列问题："),
        Table(["序号", "问题"], [["1", "静电接地缺失"]]),
        KeyValues([("检查人员", "张三")]),
    ],
    signatures=["被检查单位负责人（签字）"],
    issued_on=date(2026, 11, 23),
    seal="测试区应急管理局（印章）",
)


def test_numbers_are_sequential_and_rolled_back_with_their_transaction(db):
    assert next_document_number("test", 2026) == 1
    assert next_document_number("test", 2026) == 2
    assert next_document_number("test", 2027) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_document_number("test", 2026) == 3
        raise RuntimeError("document creation failed")
    assert next_document_number("test", 2026) == 3  # the failed attempt did not burn a number
    assert format_document_number("青应急罚", 2026, 12) == "青应急罚〔2026〕12号"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_numbers_are_gap_free_under_concurrency():
    taken, errors = [], []

    def worker():
        try:
            for _ in range(10):
                with transaction.atomic():
                    taken.append(next_document_number("concurrent", 2026))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(taken) == list(range(1, 61))


def test_docx_contains_the_record():
    from docx import Document

    document = Document(io.BytesIO(render_docx(DOC)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "责令限期整改指令书" in text and "测应急责改〔2026〕7号" in text and "2026年11月23日" in text
    assert document.tables[0].rows[1].cells[1].text == "静电接地缺失"


def test_pdf_embeds_a_chinese_font():
    pdf = render_pdf(DOC)
    assert pdf.startswith(b"%PDF")
    from anjian.core.documents import cjk_font_name

    if cjk_font_name() == "AnjianCJK":
        assert b"FontFile2" in pdf  # an embedded TrueType subset
