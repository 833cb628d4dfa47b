"""Values as people write them (是/否, local times, 元 and 万元, names without login names), the login page
title, and refusals in the log as one line."""

import datetime
import logging
import re
import sys
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from anjian.core.middleware import OneLineRefusals
from anjian.core.models import AuditEntry, Organisation, OrganisationKind, User
from anjian.core.tables import Column, as_written
from anjian.core.templatetags.anjian_tags import money, wanyuan, yes_no

amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False)


def render(source: str, **context) -> str:
    return Template("{% load anjian_tags %}" + source).render(Context(context))


# --- money and 万元 ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5000, "5,000"),
        (Decimal("1234567.50"), "1,234,567.50"),
        ("12.345", "12.35"),  # rounded half up, as in 财务
        (Decimal("-0.001"), "0"),
        (0, "0"),
        (None, "—"),
        ("", "—"),
        ("不详", "—"),
    ],
)
def test_money(value, expected):
    assert money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (350000, "35万元"),
        (Decimal("1234567.5"), "123.46万元"),
        (123456789, "12,345.68万元"),
        (5000, "0.50万元"),
        (None, "—"),
    ],
)
def test_wanyuan(value, expected):
    assert wanyuan(value) == expected


@given(amounts)
def test_money_round_trips(amount):
    text = money(amount)
    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*(\.\d\d)?", text)
    assert Decimal(text.replace(",", "")) == amount


@given(amounts)
def test_wanyuan_is_the_amount_divided_by_ten_thousand(amount):
    text = wanyuan(amount)
    assert text.endswith("万元")
    back = Decimal(text.removesuffix("万元").replace(",", "")) * 10000
    assert abs(back - amount) <= 50  # within half a hundredth of 万元


def test_filters_in_templates():
    assert render("{{ v|money }} 元", v=Decimal("30000.00")) == "30,000 元"
    assert render("{{ v|wanyuan }}", v=Decimal("2500000")) == "250万元"
    assert render("{{ a|yes_no }}/{{ b|yes_no }}/{{ c|yes_no }}", a=True, b=False, c=None) == "是/否/—"
    assert yes_no(1) == "是"


def test_stored_values_as_people_write_them(cast):
    assert as_written(True) == "是" and as_written(False) == "否"
    assert as_written(None, "（空）") == "（空）"
    assert as_written(["甲", "乙"]) == "甲、乙"
    person = User(username="wanganquan", name="王安全")
    assert as_written(person) == "王安全"
    moment = datetime.datetime(2026, 12, 1, 6, 5, 33, 123456, tzinfo=datetime.UTC)
    assert as_written(moment) == "2026-12-01 14:05:33"
    assert render("{{ v|written }}", v=moment) == "2026-12-01 14:05:33"


def test_list_columns_show_local_times_and_names_without_login_names(cast):
    class Row:
        at = datetime.datetime(2026, 12, 1, 6, 5, 33, 123456, tzinfo=datetime.UTC)
        person = User(username="wanganquan", name="王安全")

    assert str(Column("时间", "at").html(Row())) == "2026-12-01 14:05"
    assert str(Column("时间", "at", time_format="%Y-%m-%d %H:%M:%S").html(Row())) == "2026-12-01 14:05:33"
    assert Column("时间", "at").value(Row()) == datetime.datetime(2026, 12, 1, 14, 5, 33)
    assert str(Column("人员", "person").html(Row())) == "王安全"


# --- audit log: local time to the second, on the page and in the Excel export ---------------------------
def test_audit_log_shows_and_exports_local_time_to_the_second(cast, client_for):
    Organisation.objects.create(
        name="审计时间测试局", kind=OrganisationKind.DEPARTMENT, territory=cast.district
    )
    entry = AuditEntry.objects.filter(object_repr="审计时间测试局").latest("id")
    local = timezone.localtime(entry.timestamp).replace(microsecond=0)
    shown = local.strftime("%Y-%m-%d %H:%M:%S")

    page = client_for(cast.audit_admin).get("/core/audit/?q=审计时间测试局").content.decode()
    assert shown in page
    assert "+00:00" not in page

    detail = client_for(cast.audit_admin).get(f"/core/audit/{entry.pk}/").content.decode()
    assert shown in detail
    assert "安委办工作人员" in detail or "系统" in detail
    assert ">True<" not in detail and ">False<" not in detail

    response = client_for(cast.audit_admin).get("/core/audit/?export=xlsx&q=审计时间测试局")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    times = [row[0] for row in rows if isinstance(row[0], datetime.datetime)]
    assert local.replace(tzinfo=None) in times
    assert all(t.microsecond == 0 for t in times)
    changes = " ".join(str(cell) for row in rows for cell in row if cell and "→" in str(cell))
    assert "名称：（空） → 审计时间测试局" in changes  # by field label, not "name: None → …"


# --- login page --------------------------------------------------------------------------------------
def test_login_page_title_is_the_product_name_not_the_host(db):
    page = Client().get("/login/", HTTP_HOST="127.0.0.1:8000").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title == f"登录 · {settings.ANJIAN['SITE_NAME']}"
    assert "127.0.0.1" not in page


# --- refusals in the log -----------------------------------------------------------------------------
def test_a_refusal_is_logged_as_one_line_with_who_where_and_why(cast, client_for, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(cast.office).get("/core/audit/")
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelname == "WARNING"
    assert record.exc_info is None and "Traceback" not in caplog.text
    message = record.getMessage()
    assert "\n" not in message
    assert "/core/audit/" in message
    assert f"user={cast.office.username}" in message
    assert "reason=您的角色无权使用此功能。" in message


def test_server_errors_keep_their_traceback():
    try:
        raise RuntimeError("数据库连接中断")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x/",), exc_info
    )
    record.status_code = 500
    assert OneLineRefusals().filter(record)
    assert record.exc_info is exc_info
    assert record.getMessage() == "Internal Server Error: /x/"


def test_a_refusal_is_rewritten_once_when_several_handlers_filter_it():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x/",), None
    )
    record.status_code = 403
    for _ in range(3):  # console handler, file handler, test capture …
        assert OneLineRefusals().filter(record)
    assert record.getMessage() == "Forbidden: /x/ user=anonymous"
