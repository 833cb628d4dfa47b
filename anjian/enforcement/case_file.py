"""The case file (卷宗): a case's documents in filing order with running page numbers, and its 卷宗目录 (行政处罚法
第四十七条: the whole procedure is recorded and archived; rules.md EN-33)."""

import re

from anjian.core.documents import KeyValues, OfficialDocument, Table, render_pdf

from .documents import build, chinese_date, officers_line
from .models import DocumentKind

K = DocumentKind

# The case file (卷宗) order, after the filing rule the project knows (rules.md §6.3 [ZF-TJ]): the decision first,
# then the documents in the order of the procedure, the 结案审批表 last.
CASE_FILE_ORDER = [
    K.DECISION_UNIT,
    K.DECISION_PERSON,
    K.FILING_APPROVAL,
    K.INQUIRY_RECORD,
    K.SURVEY_RECORD,
    K.SAMPLING_VOUCHER,
    K.EVIDENCE_HOLD,
    K.EVIDENCE_DISPOSAL,
    K.ONSITE_MEASURES,
    K.REVIEW_OPINION,
    K.COERCIVE_MEASURES,
    K.SEIZURE,
    K.SEIZURE_DISPOSAL,
    K.PENALTY_NOTICE,
    K.HEARING_NOTICE,
    K.HEARING_RECORD,
    K.PAYMENT_REMINDER,
    K.LATE_SURCHARGE,
    K.SERVICE_RECEIPT,
    K.TRANSFER_LETTER,
    K.CLOSING_APPROVAL,
]
assert set(CASE_FILE_ORDER) == set(K), "every document kind has its place in the case file"


def pdf_page_count(pdf: bytes) -> int:
    """Pages of a PDF written by reportlab (uncompressed page dictionaries)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def case_file_entries(case, with_pages: bool = True) -> list[dict]:
    """The documents of a case in case-file order, each with its running page range (the PDF as printed)."""
    rank = {kind.value: i for i, kind in enumerate(CASE_FILE_ORDER)}
    documents = sorted(
        case.documents.select_related("issuer", "case").all(),
        key=lambda d: (rank[d.kind], d.issued_on, d.sequence, d.pk),
    )
    entries, first_page = [], 1
    for position, document in enumerate(documents, start=1):
        pages = pdf_page_count(render_pdf(build(document))) if with_pages else None
        entry = {
            "position": position,
            "document": document,
            "pages": pages,
            "first_page": None,
            "last_page": None,
        }
        if pages:
            entry["first_page"], entry["last_page"] = first_page, first_page + pages - 1
            first_page += pages
        entries.append(entry)
    return entries


def case_file_index(case, entries) -> OfficialDocument:
    """卷宗目录 as a printable document."""
    rows = [
        [
            e["position"],
            e["document"].get_kind_display(),
            e["document"].number,
            str(e["document"].issued_on),
            (
                f"{e['first_page']}–{e['last_page']}"
                if e["first_page"] != e["last_page"]
                else str(e["first_page"])
            )
            if e["first_page"]
            else "",
        ]
        for e in entries
    ]
    return OfficialDocument(
        issuer=case.organisation.name,
        title="卷宗目录",
        blocks=[
            KeyValues(
                [
                    ("案由", case.title),
                    ("案件编号", case.number),
                    ("当事人", case.party_display),
                    ("立案日期", chinese_date(case.filed_on)),
                    ("结案日期", chinese_date(case.closed_on)),
                    ("承办人", officers_line(case)),
                ]
            ),
            Table(["序号", "文书名称", "文号", "日期", "页码"], rows),
        ],
        note="行政处罚法 第四十七条：执法全过程记录归档保存。",
    )
