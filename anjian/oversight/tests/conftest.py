import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anjian.oversight import services
from anjian.oversight.models import VisitKind


def photo(name="整改后.png"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 160, 0)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_visit(cast, fed_back=True, **extra):
    today = timezone.localdate()
    fields = {
        "title": "测试市安委会督查",
        "kind": VisitKind.HIGHER,
        "inspecting_body_name": "测试市安全生产委员会",
        "leader": "周组长",
        "start_on": today - timedelta(days=10),
        "end_on": today - timedelta(days=9),
        "territory": cast.district,
        **extra,
    }
    visit = services.register_visit(actor=cast.office, targets=[cast.town_a_org, cast.yingji], **fields)
    services.add_problem(
        visit,
        actor=cast.office,
        description="甲镇九小场所排查台账不完整。",
        responsible_unit=cast.town_a_org,
        deadline=today + timedelta(days=20),
    )
    services.add_problem(
        visit,
        actor=cast.office,
        description="应急局执法计划执行滞后。",
        responsible_unit=cast.yingji,
        deadline=today + timedelta(days=30),
    )
    if fed_back:
        services.feed_back(visit, actor=cast.office, fed_back_on=today - timedelta(days=8))
    visit.refresh_from_db()
    return visit


def town_problem(visit):
    return visit.problems.get(sequence=1)


def rectify(problem, user, deadline=None):
    """Measures set and completion reported with evidence by `user`."""
    deadline = deadline or timezone.localdate() + timedelta(days=20)
    services.set_measures(
        problem, actor=user, measures="逐项建档", responsible_person="刘镇长", deadline=deadline
    )
    services.report_done(problem, actor=user, note="已整改完毕", files=[photo()])
    problem.refresh_from_db()
    return problem


@pytest.fixture
def visit(cast):
    return make_visit(cast)
