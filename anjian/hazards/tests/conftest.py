"""Hazard test helpers: put a hazard straight into any state (a factory, not the workflow), valid form data per
action, and small upload files."""

import itertools
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
_numbers = itertools.count(1)


def png(name="after.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_hazard(cast, status="registered", grade="general", enterprise=None, sector=None, **fields):
    from anjian.hazards.models import Hazard, HazardPhoto

    enterprise = enterprise or cast.enterprise_a
    if sector is None:
        sector = cast.hazchem if enterprise.pk == cast.enterprise_a.pk else cast.construction
    now = timezone.now()
    today = timezone.localdate()
    values = {
        "number": f"T{next(_numbers):08d}",
        "enterprise": enterprise,
        "territory": enterprise.territory,
        "sector": sector,
        "description": "储罐区静电接地线断开",
        "grade": grade,
        "major_clause": "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十二项"
        if grade == "major"
        else "",
        "status": status,
        "found_by": cast.inspector,
        "deadline": today + timedelta(days=10),
    }
    if status not in ("registered",):
        values.update(measures="重新敷设", responsible_person="王五", plan_set_at=now)
    if status in ("reported", "accepted", "closed"):
        values.update(rectification_note="已整改", reported_by=cast.enterprise_a_user, reported_at=now)
    if status in ("accepted", "closed"):
        values.update(reviewed_by=cast.office, reviewed_at=now)
    if status == "closed":
        values.update(closed_by=cast.office, closed_at=now)
    if status == "voided":
        values.update(void_reason="重复登记")
    values.update(fields)
    hazard = Hazard.objects.create(**values)
    if status in ("reported", "accepted", "closed"):
        HazardPhoto.objects.create(hazard=hazard, kind="after", file=png(), original_name="after.png")
    return hazard


def valid_data(action):
    """Form data that satisfies the data guards of `action`."""
    today = timezone.localdate()
    return {
        "set_plan": {
            "measures": "重新敷设接地线并检测",
            "responsible_person": "王五",
            "deadline": today + timedelta(days=20),
            "funds": "5000",
            "emergency_plan": "停用储罐，设置警戒",
        },
        "report": {"note": "已重新敷设并检测合格", "money_spent": "4800", "photos": [png()]},
        "reject": {"reason": "接地电阻未检测"},
        "request_extension": {"new_deadline": today + timedelta(days=40), "reason": "设备采购周期长"},
        "list_supervision": {"deadline": today + timedelta(days=60), "reason": "重大隐患"},
        "void": {"reason": "重复登记"},
        "reopen": {"reason": "复查发现隐患反弹"},
        "order_stop": {"kind": "partial", "reason": "储罐区局部停产"},
    }.get(action, {})


@pytest.fixture(autouse=True)
def _criteria(db):
    # Transactional tests flush seeded rows; put the catalogue back.
    from anjian.core.models import Sector
    from anjian.hazards.data import seed_criteria
    from anjian.hazards.models import MajorHazardCriterion

    seed_criteria(Sector, MajorHazardCriterion)
