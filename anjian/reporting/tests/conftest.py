"""Reporting test helpers: a monthly town template (district office receives) and the HZ-16 quarterly table
(enterprises; supervising department and town receive), built on the fixed cast."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

_numbers = itertools.count(1)


def make_template(cast, fields, **values):
    from anjian.reporting.models import ReceiverKind, ReporterKind, ReportTemplate, TemplateField

    defaults = {
        "name": "月度安全生产工作情况",
        "code": f"t{next(_numbers)}",
        "frequency": "monthly",
        "due_months_after": 1,
        "due_day": 5,
        "starts_on": date(2026, 9, 1),
        "reporter_kind": ReporterKind.TOWNS,
        "receiver_kind": ReceiverKind.OFFICE_ABOVE,
        "owner": cast.office_org,
    }
    template = ReportTemplate.objects.create(**{**defaults, **values})
    for order, (key, label, kind, metric, required) in enumerate(fields, start=1):
        TemplateField.objects.create(
            template=template,
            key=key,
            label=label,
            kind=kind,
            unit="项",
            source="auto" if metric else "manual",
            metric=metric,
            required=required,
            order=order,
            section="隐患" if metric else "工作",
        )
    return template


MONTHLY_FIELDS = [
    ("hazards_found", "排查发现隐患", "integer", "hazards_found", True),
    ("hazards_major_found", "其中：重大隐患", "integer", "hazards_major_found", True),
    ("meetings", "召开会议", "integer", "", True),
    ("funds", "安全投入", "decimal", "", False),
    ("note", "其他", "text", "", False),
]


@pytest.fixture
def monthly(cast):
    return make_template(cast, MONTHLY_FIELDS)


@pytest.fixture
def hz16(cast):
    cast.enterprise_a.principal_name = "黄宏达"
    cast.enterprise_a.save()
    return make_template(
        cast,
        [
            ("hazards_found", "排查发现隐患", "integer", "hazards_found", True),
            ("hazards_rectified", "已整改隐患", "integer", "hazards_rectified", True),
        ],
        name="季度隐患排查治理统计表",
        frequency="quarterly",
        due_day=15,
        starts_on=date(2026, 7, 1),
        reporter_kind="enterprises",
        receiver_kind="supervisors",
        requires_principal_signature=True,
    )


def make_hazard(cast, enterprise=None, found_on=None, grade="general", status="registered", **extra):
    from anjian.hazards.models import Hazard

    enterprise = enterprise or cast.enterprise_a
    sector = cast.hazchem if enterprise.pk == cast.enterprise_a.pk else cast.construction
    return Hazard.objects.create(
        number=f"R{next(_numbers):08d}",
        enterprise=enterprise,
        territory=enterprise.territory,
        sector=sector,
        description="储罐区静电接地线断开",
        grade=grade,
        major_clause="第十二项" if grade == "major" else "",
        status=status,
        found_on=found_on or date(2026, 10, 10),
        deadline=(found_on or date(2026, 10, 10)) + timedelta(days=10),
        **extra,
    )


def report_of(template, organisation=None, enterprise=None, start=date(2026, 10, 1)):
    from anjian.reporting.models import Report

    if enterprise is not None:
        return Report.objects.get(template=template, reporter_enterprise=enterprise, period_start=start)
    return Report.objects.get(template=template, reporter_org=organisation, period_start=start)


@pytest.fixture
def generated(monthly):
    """The monthly template's reports for September and October 2026 (generated on 2026-11-02)."""
    from anjian.reporting.services import generate_reports

    generate_reports(date(2026, 11, 2), templates=[monthly])
    return monthly


def aware(day, hour=10):
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(day, time(hour)))
