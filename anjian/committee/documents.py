"""The responsibility list as an official document (Word/PDF through core.documents)."""

from anjian.core.documents import Heading, OfficialDocument, Paragraph, Table

from .services import UnitDuties, today


def responsibility_document(duties: UnitDuties) -> OfficialDocument:
    unit = duties.organisation
    blocks = [
        Paragraph(
            "依据《中华人民共和国安全生产法》第十七条，县级以上各级人民政府应当组织负有安全生产监督管理职责的部门"
            "依法编制安全生产权力和责任清单，公开并接受社会监督。本清单列明本单位的安全生产职责。"
        ),
        Heading("一、监管行业领域"),
        Paragraph("、".join(s.name for s in duties.sectors) or "（无）"),
        Heading("二、职责事项"),
    ]
    rows = []
    number = 0
    for category, items in duties.items.items():
        for item in items:
            number += 1
            rows.append([str(number), category, item.text, item.basis, item.get_status_display()])
    if rows:
        blocks.append(Table(["序号", "类别", "职责内容", "依据", "状态"], rows))
    else:
        blocks.append(Paragraph("（尚未编制）"))
    blocks.append(Heading("三、领导干部安全生产“一岗双责”"))
    if duties.leaders:
        for leader in duties.leaders:
            blocks.append(Paragraph(f"{leader.post}　{leader.name}", bold=True, indent=False))
            for index, line in enumerate(leader.duty_lines, 1):
                blocks.append(Paragraph(f"{index}. {line}"))
    else:
        blocks.append(Paragraph("（尚未编制）"))
    return OfficialDocument(
        issuer=unit.name,
        title="安全生产责任清单",
        blocks=blocks,
        issued_on=today(),
        note=f"待安委办确认的事项 {duties.pending} 项。" if duties.pending else "",
    )
