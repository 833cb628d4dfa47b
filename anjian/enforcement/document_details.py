"""What a 执法文书 records beyond the case itself (who was asked what, what was seen, sampled, seized or served),
kept as structured data on CaseDocument.details and validated here per kind, with Chinese errors.

Each kind declares its fields (DETAIL_FIELDS); the issue form is built from the same list (forms.DocumentDetailsForm)
and the API accepts the same names, so a page, an import and the API store the same shape.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError

from .models import DocumentKind

K = DocumentKind


@dataclass(frozen=True)
class DetailField:
    name: str
    label: str
    # text | longtext | date | datetime | int | bool | choice | qa | items | statements | document
    type: str = "text"
    required: bool = True
    choices: tuple = ()
    help: str = ""


# 送达方式: 行政处罚法 第六十一条 (送达 per 民事诉讼法; electronic service needs the party's consent)
SERVICE_METHODS = (
    ("direct", "直接送达"),  # 民事诉讼法 第八十八条
    ("left", "留置送达"),  # 第八十九条: refusal recorded, witness or photo/video
    ("post", "邮寄送达"),  # 第九十一条
    ("entrusted", "委托送达"),  # 第九十一条
    ("public_notice", "公告送达"),  # 第九十五条: deemed served 30 days after the notice ❓ (2021 修正)
    ("electronic", "电子送达"),  # 行政处罚法 第六十一条第二款: only with the party's signed consent
)
PUBLIC_NOTICE_DAYS = 30  # 民事诉讼法 第九十五条 (2021 修正后为三十日) ❓
EVIDENCE_HOLD_DECISION_DAYS = 7  # 行政处罚法 第五十六条: 七日内及时作出处理决定
SEIZURE_MAX_DAYS = 30  # 行政强制法 第二十五条: 不得超过三十日；情况复杂的，经批准可延长，延长不得超过三十日
EVIDENCE_DISPOSALS = (
    ("return", "解除登记保存，退还当事人"),
    ("transfer", "移送有关部门处理"),
    ("confiscate", "依法予以没收"),
    ("inspect", "送交检测、检验、鉴定"),
)
SEIZURE_DISPOSALS = (
    ("release", "解除查封、扣押"),  # 行政强制法 第二十八条
    ("confiscate", "依法没收"),
    ("destroy", "依法销毁"),
    ("transfer", "移送有关部门处理"),
)
# 现场处理措施 (安全生产法 第六十五条第一款第(三)项; 安全生产违法行为行政处罚办法 第十四条)
ONSITE_KINDS = (
    ("withdraw", "从危险区域内撤出作业人员"),
    ("stop_production", "责令暂时停产停业"),
    ("stop_building", "责令停止建设"),
    ("stop_construction", "责令停止施工"),
    ("stop_use", "责令停止使用相关设施、设备"),
    ("other", "其他现场处理措施"),
)
# HZ-45 (安全生产违法行为行政处罚办法 第十四条 ✅): these temporary stops "期限一般不超过6个月；法律、行政法规另有规定的，
# 依照其规定" — a longer period is allowed only with the law or regulation that provides it.
TEMPORARY_STOP_KINDS = frozenset({"stop_production", "stop_building", "stop_construction", "stop_use"})
TEMPORARY_STOP_MAX_MONTHS = 6
# HZ-46 (同办法 第十五条 ✅): 查封、扣押的, 应当在15日内作出处理决定. The rule itself has no extension; the seizure
# period of 行政强制法 第二十五条 (30 days, +30) is the outer limit checked on the seizure decision above.
SEIZURE_DECISION_DAYS = 15
COERCIVE_KINDS = (
    # 安全生产法 第七十条: 停止供电、停止供应民用爆炸物品 to a unit refusing an order that risks a major accident
    ("stop_power", "通知有关单位停止供电"),
    ("stop_explosives", "通知有关单位停止供应民用爆炸物品"),
    ("other", "其他行政强制措施"),
)

DETAIL_FIELDS: dict[DocumentKind, list[DetailField]] = {
    K.FILING_APPROVAL: [
        DetailField("handler_opinion", "承办人意见（立案理由）", "longtext"),
        DetailField("approval_opinion", "负责人审批意见", "longtext", required=False),
    ],
    K.INQUIRY_RECORD: [
        DetailField("started_at", "询问开始时间", "datetime"),
        DetailField("ended_at", "询问结束时间", "datetime"),
        DetailField("place", "询问地点"),
        DetailField("interviewers", "询问人（执法人员，至少两人，以、分隔）"),
        DetailField("recorder", "记录人"),
        DetailField("interviewee", "被询问人姓名"),
        DetailField("interviewee_role", "被询问人身份（单位职务或与本案关系）"),
        DetailField("interviewee_id", "被询问人身份证号", required=False),
        DetailField("interviewee_phone", "被询问人联系电话", required=False),
        DetailField("qa", "问答内容", "qa", help="每行以“问：”或“答：”开头"),
    ],
    K.SURVEY_RECORD: [
        DetailField("started_at", "勘验开始时间", "datetime"),
        DetailField("ended_at", "勘验结束时间", "datetime"),
        DetailField("place", "勘验场所"),
        DetailField("surveyors", "勘验人（执法人员，至少两人，以、分隔）"),
        DetailField("recorder", "记录人"),
        DetailField("present", "当事人或见证人（姓名、身份）"),
        DetailField("findings", "勘验情况", "longtext"),
    ],
    K.SAMPLING_VOUCHER: [
        DetailField("sampled_on", "抽样日期", "date"),
        DetailField("place", "抽样地点"),
        DetailField("holder", "被抽样人（物品持有人）"),
        DetailField("items", "抽样物品", "items", help="每行一项：名称，规格，数量"),
    ],
    K.EVIDENCE_HOLD: [
        DetailField("held_on", "登记保存日期", "date"),
        DetailField("place", "保存地点"),
        DetailField("keeper", "保存人"),
        DetailField("items", "登记保存的物品", "items", help="每行一项：名称，规格，数量"),
    ],
    K.EVIDENCE_DISPOSAL: [
        DetailField("disposal", "处理决定", "choice", choices=EVIDENCE_DISPOSALS),
        DetailField("reason", "处理理由", "longtext"),
    ],
    K.SEIZURE: [
        DetailField("place", "查封、扣押地点"),
        DetailField("start_on", "查封、扣押起始日期", "date"),
        DetailField("days", "期限（日）", "int", help="不超过三十日（行政强制法第二十五条）"),
        DetailField("extended", "情况复杂，经负责人批准延长", "bool", required=False),
        DetailField("reason", "查封、扣押理由", "longtext"),
        DetailField("items", "查封、扣押的场所、设施或者财物", "items", help="每行一项：名称，规格，数量"),
    ],
    K.SEIZURE_DISPOSAL: [
        DetailField(
            "seizure",
            "处理的查封扣押决定书",
            "document",
            required=False,
            help="本案只有一份未处理的查封扣押决定书时可不选",
        ),
        DetailField("disposal", "处理决定", "choice", choices=SEIZURE_DISPOSALS),
        DetailField("reason", "处理理由", "longtext"),
        DetailField(
            "late_reason",
            "逾期作出处理决定的原因",
            "longtext",
            required=False,
            help="查封、扣押之日起15日内应当作出处理决定（安全生产违法行为行政处罚办法 第十五条）；逾期的须说明原因",
        ),
    ],
    K.ONSITE_MEASURES: [
        DetailField("measure", "现场处理措施", "choice", required=False, choices=ONSITE_KINDS),
        DetailField("start_on", "措施起始日期", "date", required=False),
        DetailField(
            "end_on",
            "措施期限至",
            "date",
            required=False,
            help="暂时停产停业、停止建设、停止施工、停止使用的期限一般不超过6个月（安全生产违法行为行政处罚办法 第十四条）",
        ),
        DetailField(
            "longer_basis",
            "超过6个月的法律、行政法规依据",
            required=False,
            help="法律、行政法规另有规定的，依照其规定（同条）",
        ),
    ],
    K.COERCIVE_MEASURES: [
        DetailField("measure", "强制措施", "choice", choices=COERCIVE_KINDS),
        DetailField("reason", "事实和理由", "longtext"),
        DetailField(
            "advance_notice_on",
            "提前书面通知日期",
            "date",
            required=False,
            help="安全生产法第七十条：除有危及生产安全的紧急情形外，应当提前二十四小时通知",
        ),
    ],
    K.HEARING_RECORD: [
        DetailField("started_at", "听证开始时间", "datetime"),
        DetailField("ended_at", "听证结束时间", "datetime"),
        DetailField("place", "听证地点"),
        DetailField("public", "公开举行", "bool", required=False),
        DetailField("host", "听证主持人（非本案调查人员）"),
        DetailField("recorder", "记录人"),
        DetailField("investigators", "案件调查人员"),
        DetailField("party_attendees", "当事人及委托代理人"),
        DetailField("statements", "听证记录", "statements", help="每行一段：发言人：内容"),
    ],
    K.SERVICE_RECEIPT: [
        DetailField("served_document", "送达文书", "document"),
        DetailField("method", "送达方式", "choice", choices=SERVICE_METHODS),
        DetailField("place", "送达地点（公告送达填公告载体，电子送达填电子地址）"),
        DetailField("recipient", "受送达人"),
        DetailField("served_on", "送达日期", "date"),
        DetailField("receiver", "签收人（代收人注明与受送达人关系）", required=False),
        DetailField("witness", "见证人（留置送达必填）", required=False),
        DetailField("consent", "当事人已签署电子送达确认书（电子送达必选）", "bool", required=False),
    ],
    K.PAYMENT_REMINDER: [
        DetailField(
            "period_days",
            "催告履行期限（日）",
            "int",
            required=False,
            help="行政强制法第五十四条：催告书送达十日后仍未履行的，可以申请人民法院强制执行",
        ),
    ],
    K.LATE_SURCHARGE: [
        DetailField("as_of", "加处罚款计算至", "date", help="缴纳日或计算截止日"),
    ],
    K.TRANSFER_LETTER: [
        DetailField("reason", "移送理由（涉嫌犯罪的事实和依据）", "longtext"),
        DetailField("attachments", "随附材料", "longtext", required=False),
    ],
    K.CLOSING_APPROVAL: [
        DetailField("execution", "处理结果及执行情况", "longtext"),
        DetailField("handler_opinion", "承办人结案意见", "longtext"),
        DetailField("approval_opinion", "负责人审批意见", "longtext", required=False),
    ],
}


def fields_for(kind) -> list[DetailField]:
    return DETAIL_FIELDS.get(DocumentKind(kind), [])


def names(text: str) -> list[str]:
    """People listed in one field: "张三、李四" or "张三,李四"."""
    for sep in ("，", ",", "；", ";", " ", "/"):
        text = text.replace(sep, "、")
    return [n.strip() for n in text.split("、") if n.strip()]


def _parse_qa(value) -> list[dict]:
    if isinstance(value, list):
        return [{"q": str(p.get("q", "")).strip(), "a": str(p.get("a", "")).strip()} for p in value]
    pairs: list[dict] = []
    for line in str(value or "").splitlines():
        line = line.strip()
        if not line:
            continue
        head, text = line[:2], line[2:].strip()
        if head in ("问：", "问:"):
            pairs.append({"q": text, "a": ""})
        elif head in ("答：", "答:") and pairs and not pairs[-1]["a"]:
            pairs[-1]["a"] = text
        elif pairs:  # a continuation line belongs to the last question or answer
            key = "a" if pairs[-1]["a"] else "q"
            pairs[-1][key] += "\n" + line
        else:
            raise ValueError("问答内容须以“问：”开头，每个问题后以“答：”记录回答。")
    return pairs


def _parse_items(value) -> list[dict]:
    if isinstance(value, list):
        rows = [[str(r.get("name", "")), str(r.get("spec", "")), str(r.get("quantity", ""))] for r in value]
    else:
        rows = []
        for line in str(value or "").splitlines():
            if line.strip():
                parts = [p.strip() for p in line.replace(",", "，").replace("|", "，").split("，")]
                rows.append(
                    [*parts, "", ""][:3] if len(parts) <= 3 else [parts[0], "，".join(parts[1:-1]), parts[-1]]
                )
    return [{"name": n.strip(), "spec": s.strip(), "quantity": q.strip()} for n, s, q in rows]


def _parse_statements(value) -> list[dict]:
    if isinstance(value, list):
        return [
            {"speaker": str(s.get("speaker", "")).strip(), "text": str(s.get("text", "")).strip()}
            for s in value
        ]
    out: list[dict] = []
    for line in str(value or "").splitlines():
        line = line.strip()
        if not line:
            continue
        sep = "：" if "：" in line else (":" if ":" in line else None)
        if sep is None:
            if not out:
                raise ValueError("每段听证记录须写成“发言人：内容”。")
            out[-1]["text"] += "\n" + line
            continue
        speaker, text = line.split(sep, 1)
        out.append({"speaker": speaker.strip(), "text": text.strip()})
    return out


def _parse(field: DetailField, value):
    """One raw value (form string or API JSON) to its stored form; ValueError carries the Chinese reason."""
    if field.type == "bool":
        return value in (True, "on", "true", "1", 1, "True")
    if field.type == "qa":
        return _parse_qa(value)
    if field.type == "items":
        return _parse_items(value)
    if field.type == "statements":
        return _parse_statements(value)
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if field.type == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError("日期格式应为 年-月-日。") from None
    if field.type == "datetime":
        try:
            return datetime.fromisoformat(text.replace(" ", "T")).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            raise ValueError("时间格式应为 年-月-日 时:分。") from None
    if field.type == "int":
        try:
            number = int(text)
        except ValueError:
            raise ValueError("请填写整数。") from None
        if number <= 0:
            raise ValueError("须为正整数。")
        return number
    if field.type == "choice" and text not in dict(field.choices):
        raise ValueError("请从列表中选择。")
    return text


def _empty(value) -> bool:
    return value in (None, "", [], False)


def validate_details(kind, raw: dict, case=None) -> dict:
    """Clean the details of one document kind. Raises ValidationError({field: 中文原因}); returns the stored dict.
    `case` lets rules that compare with the case (its officers, its documents, its payment due date) run."""
    kind = DocumentKind(kind)
    raw = raw or {}
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for field in fields_for(kind):
        try:
            value = _parse(field, raw.get(field.name))
        except ValueError as exc:
            errors[field.name] = f"{field.label}：{exc}"
            continue
        if field.required and field.type != "bool" and _empty(value):
            errors[field.name] = f"请填写{field.label}。"
            continue
        if not _empty(value) or field.type == "bool":
            cleaned[field.name] = value
    if not errors:
        errors.update(_cross_checks(kind, cleaned, case))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _cross_checks(kind, d: dict, case) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "started_at" in d and "ended_at" in d and d["ended_at"] <= d["started_at"]:
        errors["ended_at"] = "结束时间须晚于开始时间。"
    # 行政处罚法 第四十二条、第五十五条: 调查或者检查时，执法人员不得少于两人
    for key in ("interviewers", "surveyors"):
        if key in d and len(set(names(d[key]))) < 2:
            errors[key] = "执法人员不得少于两人（行政处罚法 第四十二条），请填写两名以上执法人员。"
    if kind == K.INQUIRY_RECORD and any(not p["q"] or not p["a"] for p in d.get("qa", [])):
        errors["qa"] = "每个问题都须记录回答（被询问人拒绝回答的，记录“拒绝回答”）。"
    items = d.get("items", [])
    if any(not item["name"] or not item["quantity"] for item in items):
        errors["items"] = "每项物品须写明名称和数量（名称，规格，数量）。"
    if kind == K.SEIZURE and "days" in d:
        limit = SEIZURE_MAX_DAYS * (2 if d.get("extended") else 1)
        if d["days"] > limit:
            errors["days"] = (
                "查封、扣押的期限不得超过三十日；情况复杂经批准延长的，延长期限不得超过三十日（行政强制法 第二十五条）。"
            )
    if kind == K.ONSITE_MEASURES:
        errors.update(_onsite_checks(d))
    if kind == K.HEARING_RECORD:
        if any(not s["speaker"] or not s["text"] for s in d.get("statements", [])):
            errors["statements"] = "每段听证记录须写明发言人和内容。"
        # 行政处罚法 第六十四条第(四)项: 听证由行政机关指定的非本案调查人员主持
        officers = _officer_names(case) | set(names(d.get("investigators", "")))
        if d.get("host") and d["host"] in officers:
            errors["host"] = "听证主持人不能是本案调查人员（行政处罚法 第六十四条第四项）。"
    if kind == K.SERVICE_RECEIPT:
        errors.update(_service_checks(d, case))
    due = case.payment_due if case is not None else None
    if kind == K.LATE_SURCHARGE and due and "as_of" in d and date.fromisoformat(d["as_of"]) <= due:
        errors["as_of"] = f"计算截止日须在缴款期限（{case.payment_due}）之后（行政处罚法 第七十二条）。"
    if kind == K.COERCIVE_MEASURES and d.get("measure") == "other" and len(d.get("reason", "")) < 10:
        errors["reason"] = "其他强制措施须写明措施内容和法律依据。"
    return errors


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of a shorter month): 民法典 第二百零二条, 按照月计算期间的，到期月的
    对应日为期间的最后一日; 没有对应日的，月末日为期间的最后一日."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def temporary_stop_limit(start_on: date) -> date:
    """The last day of a temporary stop of the usual maximum length (HZ-45: 一般不超过6个月)."""
    return add_months(start_on, TEMPORARY_STOP_MAX_MONTHS)


def seizure_decision_due(start_on: date) -> date:
    """HZ-46: the 处理决定 is due within 15 days of the seizure (the first day not counted, 民法典 第二百零一条)."""
    return start_on + timedelta(days=SEIZURE_DECISION_DAYS)


def _onsite_checks(d: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if d.get("measure") not in TEMPORARY_STOP_KINDS:
        if d.get("end_on") and d.get("start_on") and d["end_on"] < d["start_on"]:
            errors["end_on"] = "措施期限须晚于起始日期。"
        return errors
    # HZ-45 (安全生产违法行为行政处罚办法 第十四条): a temporary stop states its period.
    if not d.get("start_on"):
        errors["start_on"] = "暂时停产停业、停止建设、停止施工、停止使用须写明起始日期。"
    if not d.get("end_on"):
        errors["end_on"] = "暂时停产停业、停止建设、停止施工、停止使用须写明期限（一般不超过6个月）。"
    if errors:
        return errors
    start, end = date.fromisoformat(d["start_on"]), date.fromisoformat(d["end_on"])
    if end <= start:
        errors["end_on"] = "措施期限须晚于起始日期。"
    elif end > temporary_stop_limit(start) and not (d.get("longer_basis") or "").strip():
        errors["longer_basis"] = (
            f"期限一般不超过6个月（至{temporary_stop_limit(start):%Y年%m月%d日}，安全生产违法行为行政处罚办法 第十四条）；"
            "确需超过的，请填写规定更长期限的法律、行政法规依据。"
        )
    return errors


def _officer_names(case) -> set[str]:
    if case is None:
        return set()
    people = [u for u in (case.handler, case.co_handler) if u is not None]
    return {n for u in people for n in (u.get_full_name(), getattr(u, "name", ""), u.username) if n}


def _service_checks(d: dict, case) -> dict[str, str]:
    errors: dict[str, str] = {}
    method = d.get("method")
    if method == "left" and not d.get("witness"):
        # 民事诉讼法 第八十九条: 邀请有关基层组织或者所在单位的代表到场，或者拍照、录像记录送达过程
        errors["witness"] = (
            "留置送达须记录见证人（或注明已拍照、录像记录送达过程）（民事诉讼法 第八十九条）。"
        )
    if method == "electronic" and not d.get("consent"):
        errors["consent"] = "电子送达须经当事人同意并签订确认书（行政处罚法 第六十一条第二款）。"
    if method == "direct" and not d.get("receiver"):
        errors["receiver"] = "直接送达须由受送达人或其代收人签收。"
    if case is not None and d.get("served_document"):
        numbers = set(case.documents.exclude(kind=K.SERVICE_RECEIPT).values_list("number", flat=True))
        if d["served_document"] not in numbers:
            errors["served_document"] = "所选文书不属于本案。"
    if method == "public_notice" and d.get("served_on"):
        # deemed served after the notice period
        d["deemed_served_on"] = (
            date.fromisoformat(d["served_on"]) + timedelta(days=PUBLIC_NOTICE_DAYS)
        ).isoformat()
    return errors


def display_value(field: DetailField, value) -> str:
    """A stored value as printed on the document."""
    if value in (None, ""):
        return ""
    if field.type == "bool":
        return "是" if value else "否"
    if field.type == "choice":
        return dict(field.choices).get(value, value)
    if field.type == "date":
        d = date.fromisoformat(value)
        return f"{d.year}年{d.month}月{d.day}日"
    if field.type == "datetime":
        t = datetime.fromisoformat(value)
        return f"{t.year}年{t.month}月{t.day}日{t.hour}时{t.minute:02d}分"
    return str(value)
