"""The printed 督办单/交办单 (core.documents: DOCX and PDF). The 文号 was taken when the task was issued."""

from anjian.core.documents import Heading, KeyValues, OfficialDocument, Paragraph, Table

from .models import AssignmentRole, Task


def task_order(task: Task) -> OfficialDocument:
    parts = list(task.assignments.select_related("unit").order_by("role", "id"))
    leads = "、".join(str(a.unit) for a in parts if a.role == AssignmentRole.LEAD)
    assisting = "、".join(str(a.unit) for a in parts if a.role == AssignmentRole.ASSIST)
    kind = task.get_kind_display()
    blocks = [
        KeyValues(
            [
                ("事项名称", task.title),
                ("紧急程度", task.get_urgency_display()),
                ("承办单位", leads),
                ("协办单位", assisting or "—"),
                ("办理时限", f"{task.deadline:%Y年%m月%d日}前"),
                ("来源", task.source_text or task.get_source_kind_display()),
            ]
        ),
        Heading(f"一、{kind}内容"),
        *[Paragraph(line) for line in task.content.splitlines() if line.strip()],
    ]
    if task.basis:
        blocks += [Heading(f"二、{kind}依据"), *[Paragraph(x) for x in task.basis.splitlines() if x.strip()]]
    blocks += [
        Heading("三、办理要求"),
        Paragraph(
            f"请承办单位于{task.deadline:%Y年%m月%d日}前办结，并通过安全生产监管平台报送办理情况"
            "（进展报告及办结材料）；协办单位积极配合。确有困难不能按期办结的，应在期限届满前申请延期。"
            "逾期未办结或逾期报送的，纳入安全生产过程考核。"
        ),
    ]
    if task.materials:
        blocks += [
            Heading("四、要求报送的材料"),
            *[Paragraph(x) for x in task.materials.splitlines() if x.strip()],
        ]
    if parts:
        blocks.append(
            Table(
                ["办理单位", "承办/协办", "办理时限", "办理状态"],
                [
                    [str(a.unit), a.get_role_display(), f"{a.deadline:%Y-%m-%d}", a.get_status_display()]
                    for a in parts
                ],
            )
        )
    return OfficialDocument(
        issuer=str(task.issuer.name),
        title=f"{kind}单",
        number=task.number,
        recipient=leads,
        blocks=blocks,
        issued_on=task.issued_on,
        seal=f"{task.issuer.name}（印章）",
        copy_to=assisting,
    )
