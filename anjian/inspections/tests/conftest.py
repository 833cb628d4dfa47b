import base64
import io
from datetime import date, timedelta

import pytest


def png_data_url() -> str:
    """A real (tiny) PNG as a canvas would send it."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def templates(db):
    from anjian.core.models import Sector
    from anjian.inspections.data import seed_checklists
    from anjian.inspections.models import ChecklistItem, ChecklistTemplate

    seed_checklists(ChecklistTemplate, ChecklistItem, Sector)
    return {t.code: t for t in ChecklistTemplate.objects.all()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_plan(cast):
    from anjian.inspections import services
    from anjian.inspections.models import InspectionPlan, PlanKind

    def make(**extra):
        sectors = extra.pop("sectors", None)
        enterprises = extra.pop("enterprises", None)
        inspectors = extra.pop("inspectors", None)
        today = date.today()
        values = dict(
            name="测试计划",
            kind=PlanKind.SPECIAL,
            year=today.year,
            start_date=today,
            end_date=today + timedelta(days=30),
            territory=cast.district,
            organisation=cast.office_org,
            number=services.new_plan_number(today.year),
        )
        values.update(extra)
        plan = InspectionPlan.objects.create(**values)
        if sectors is not None:
            plan.sectors.set(sectors)
        if enterprises is not None:
            plan.enterprises.set(enterprises)
        if inspectors is not None:
            plan.inspectors.set(inspectors)
        return plan

    return make


def partner_of(user):
    """A second certified officer of `user`'s department: enforcement inspections need two (EN-31,
    行政处罚法 第四十二条)."""
    from anjian.core.models import User
    from anjian.core.testing import make_user

    username = f"{user.username}_partner"
    return User.objects.filter(username=username).first() or make_user(
        username, user.role, user.territory, user.organisation, certificate_no=f"P-{user.pk:05d}"
    )


@pytest.fixture
def partner(cast):
    return partner_of(cast.inspector)


@pytest.fixture
def make_inspection(cast, templates):
    from anjian.inspections import services
    from anjian.inspections.models import Inspection, Kind, Level

    def make(actor=None, enterprise=None, template="hazchem-general", **extra):
        actor = actor or cast.inspector
        enterprise = enterprise or cast.enterprise_a
        values = dict(
            level=Level.SELF if actor.role == "enterprise" else Level.COUNTY,
            kind=Kind.ROUTINE,
            enterprise=enterprise,
            sector=cast.hazchem if enterprise == cast.enterprise_a else cast.construction,
            checklist_template=templates[template] if template else None,
            inspected_on=date.today(),
            location="储罐区",
        )
        values.update(extra)
        enforcement = services.is_enforcement_inspection(values["level"])
        inspectors = [actor, partner_of(actor)] if enforcement else [actor]
        return services.create_inspection(actor=actor, inspection=Inspection(**values), inspectors=inspectors)

    return make
