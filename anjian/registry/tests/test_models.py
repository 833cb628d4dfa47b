"""Invariants of the registry models and services: credit code, grading, colours, R value, blacklist dates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.core.models import AuditEntry, Organisation, OrganisationKind
from anjian.registry import rules, services
from anjian.registry.forms import EnterpriseForm
from anjian.registry.models import BlacklistEntry, Enterprise, MajorHazardSource, MajorHazardSubstance

from .factories import make_listing, make_risk_point, valid_code

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015, written out independently of rules.py


def enterprise_with(territory, code):
    return Enterprise(name="校验单位", credit_code=code, territory=territory)


# --- 统一社会信用代码 in the model and the form ----------------------------------------------------------


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first17=st.text(alphabet=CHARSET, min_size=17, max_size=17), data=st.data())
def test_model_clean_accepts_the_right_check_char_and_rejects_every_other(cast, first17, data):
    good = first17 + rules.credit_code_check_char(first17)
    enterprise_with(cast.village_a, good).clean()
    wrong = data.draw(st.sampled_from([c for c in CHARSET if c != good[-1]]))
    with pytest.raises(ValidationError) as exc:
        enterprise_with(cast.village_a, first17 + wrong).clean()
    assert exc.value.message_dict["credit_code"] == [f"校验码错误：第18位应为“{good[-1]}”，实际为“{wrong}”"]


@pytest.mark.django_db
def test_rules_md_vectors_through_the_model(cast):
    enterprise_with(cast.village_a, "91110000802100433B").clean()
    with pytest.raises(ValidationError) as exc:
        enterprise_with(cast.village_a, "911100001011155733").clean()
    assert "校验码错误：第18位应为“B”，实际为“3”" in exc.value.message_dict["credit_code"]


@pytest.mark.django_db
def test_model_clean_normalises_full_width_and_spaces(cast):
    code = valid_code(7)
    pasted = " ".join(code[:9]) + code[9:].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    enterprise = enterprise_with(cast.village_a, pasted)
    enterprise.clean()
    assert enterprise.credit_code == code


@pytest.mark.django_db
def test_form_reports_chinese_errors_and_duplicates(cast):
    data = {
        "name": "新单位",
        "credit_code": "91110000802100433X",
        "territory": cast.village_a.pk,
        "status": "operating",
    }
    form = EnterpriseForm(data=data, user=cast.office)
    assert not form.is_valid()
    assert form.errors["credit_code"] == ["校验码错误：第18位应为“B”，实际为“X”"]
    form = EnterpriseForm(data={**data, "credit_code": cast.enterprise_a.credit_code}, user=cast.office)
    assert not form.is_valid()
    assert form.errors["credit_code"] == ["该统一社会信用代码已登记，请勿重复登记。"]


@pytest.mark.django_db
def test_industry_code_sets_and_checks_the_gb4754_section(cast):
    enterprise = enterprise_with(cast.village_a, valid_code(8))
    enterprise.industry_code = "2614"
    enterprise.clean()
    assert enterprise.economic_section == "C"
    enterprise.economic_section = "E"
    with pytest.raises(ValidationError) as exc:
        enterprise.clean()
    assert "门类C" in exc.value.message_dict["economic_section"][0]


@pytest.mark.django_db
def test_enterprise_form_for_enterprise_staff_keeps_only_allowed_fields(cast):
    form = EnterpriseForm(instance=cast.enterprise_a, user=cast.enterprise_a_user)
    assert "name" not in form.fields and "credit_code" not in form.fields and "sectors" not in form.fields
    assert "safety_manager_phone" in form.fields


# --- risk points: LEC / LS tables through the model, and the unit's colour ------------------------------------

LEC_CASES = [  # (L, E, C) -> (D, level) from rules.md §4.2; boundaries: D > 320 重大, 160 < D ≤ 320 较大 ...
    ((10, 6, 7), Decimal("420"), "major"),
    ((6, 6, 7), Decimal("252"), "high"),
    ((3, 6, 15), Decimal("270"), "high"),
    ((1, 6, 15), Decimal("90"), "medium"),
    ((3, 6, 7), Decimal("126"), "medium"),
    ((1, 3, 7), Decimal("21"), "low"),
    ((0.5, 1, 1), Decimal("0.5"), "low"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("lec", "score", "level"), LEC_CASES)
def test_lec_risk_point_grading(cast, lec, score, level):
    point = make_risk_point(cast.enterprise_a, lec=tuple(Decimal(str(v)) for v in lec))
    assert point.score == score
    assert point.level == level


LS_CASES = [
    ((5, 4), 20, "major"),
    ((4, 4), 16, "high"),
    ((3, 5), 15, "high"),
    ((3, 3), 9, "medium"),
    ((2, 4), 8, "low"),
    ((1, 1), 1, "low"),
]  # variant A of rules.md §4.3


@pytest.mark.django_db
@pytest.mark.parametrize(("ls", "score", "level"), LS_CASES)
def test_ls_risk_point_grading(cast, ls, score, level):
    point = make_risk_point(cast.enterprise_a, ls=ls)
    assert (point.score, point.level) == (score, level)


@pytest.mark.django_db
def test_lec_factor_outside_the_table_is_rejected_in_chinese(cast):
    point = make_risk_point(cast.enterprise_a)
    point.lec_l = Decimal("4")
    with pytest.raises(ValidationError) as exc:
        point.clean()
    assert "不在允许值中" in exc.value.messages[0]


@pytest.mark.django_db
def test_unit_colour_is_its_highest_active_point_and_is_audited(cast):
    a = cast.enterprise_a
    low = make_risk_point(a, lec=(1, 3, 7))
    services.recompute_risk_level(a)
    assert Enterprise.objects.get(pk=a.pk).risk_level == "low"
    major = make_risk_point(a, lec=(10, 6, 7))
    services.recompute_risk_level(a)
    assert Enterprise.objects.get(pk=a.pk).risk_level == "major"
    major.is_active = False
    major.save()
    services.recompute_risk_level(a)
    assert Enterprise.objects.get(pk=a.pk).risk_level == "low"
    low.delete()
    services.recompute_risk_level(a)
    assert Enterprise.objects.get(pk=a.pk).risk_level == ""
    assert AuditEntry.objects.filter(action="registry.risk_recomputed", object_id=str(a.pk)).count() == 4


@pytest.mark.django_db
def test_frequency_table_is_data_the_office_edits(cast):
    from anjian.registry.models import SupervisionFrequency

    cast.enterprise_a.risk_level = "high"
    assert services.inspections_per_year(cast.enterprise_a) == 4  # default when the table is empty/seeded
    SupervisionFrequency.objects.update_or_create(risk_level="high", defaults={"inspections_per_year": 6})
    assert services.inspections_per_year(cast.enterprise_a) == 6


# --- major hazard source: R and level via rules ------------------------------------------------------------


@pytest.mark.django_db
def test_major_hazard_r_value_and_level(cast):
    source = MajorHazardSource.objects.create(
        enterprise=cast.enterprise_a, name="液氯罐区", people_within_500m=120
    )
    MajorHazardSubstance.objects.create(
        source=source,
        name="液氯",
        hazard_class="toxic_gas",
        quantity_t=Decimal("25"),
        threshold_t=Decimal("5"),
    )
    services.recompute_major_hazard(source)
    source.refresh_from_db()
    # R = α·β·q/Q = 2.0 × 4 × 25/5 = 40 → 三级 (10 ≤ R < 50), rules.md CL-32
    assert source.r_value == Decimal("40")
    assert source.level == 3
    MajorHazardSubstance.objects.create(
        source=source,
        name="光气",
        hazard_class="toxic_gas",
        quantity_t=Decimal("0.6"),
        threshold_t=Decimal("0.3"),
    )
    services.recompute_major_hazard(source)
    source.refresh_from_db()
    assert source.r_value == Decimal("120")  # 2 × (4×5 + 20×2) = 120 → 一级
    assert source.level == 1


# --- who must supervise this unit ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_supervisors_follow_sectors_and_territory(cast):
    town_dept = Organisation.objects.create(
        name="甲镇安监站", kind=OrganisationKind.DEPARTMENT, territory=cast.town_a
    )
    town_dept.sectors.set([cast.hazchem])
    other_district = Organisation.objects.create(
        name="邻区应急局", kind=OrganisationKind.DEPARTMENT, territory=cast.other_district
    )
    other_district.sectors.set([cast.hazchem])
    result = services.supervisors_for(cast.enterprise_a)
    assert [d.name for d in result.departments] == ["甲镇安监站", "测试区应急管理局"]
    assert [s.name for s in result.departments[1].matching_sectors] == ["危险化学品"]
    assert [o.name for o in result.local_governments] == ["甲镇人民政府"]
    assert [d.name for d in services.supervisors_for(cast.enterprise_b).departments] == ["测试区住建局"]


# --- status transitions ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_status_transitions_table(cast):
    a = cast.enterprise_a
    assert services.refusal(a, "resume", cast.office) == "单位当前为“在营”，不能执行“恢复生产”。"
    assert services.refusal(a, "ban", cast.town_a_user) == "您的角色无权执行“关闭取缔”。"
    with pytest.raises(ValidationError):
        services.change_status(a, "suspend", cast.office, "  ")
    a = services.change_status(a, "suspend", cast.office, "停产整顿")
    assert a.status == "suspended"
    with pytest.raises(PermissionDenied):
        services.change_status(a, "suspend", cast.office, "再次")
    assert AuditEntry.objects.filter(action="registry.status_suspend").exists()


# --- blacklist dates (应急管理部令第11号; rules.md §5.1) ----------------------------------------------------


@pytest.mark.django_db
def test_listing_end_date_is_three_years_and_status_follows_dates(cast):
    entry = make_listing(cast.enterprise_a, date(2024, 2, 29))
    assert entry.end_date == date(2027, 2, 28)  # 民法典 第二百零二条: no 29 Feb → last day of month
    assert entry.status_on(date(2027, 2, 28)) == "listed"
    assert entry.status_on(date(2027, 3, 1)) == "expired"
    assert entry.earliest_repair_date == date(2025, 3, 1)


@pytest.mark.django_db
def test_early_removal_only_after_twelve_months_and_restore(cast):
    today = date.today()
    entry = make_listing(cast.enterprise_a, today - timedelta(days=200))
    with pytest.raises(ValidationError) as exc:
        services.remove_early(entry, cast.office, today, "已整改")
    assert "列入满12个月后方可提前移出" in exc.value.messages[0]
    old = make_listing(cast.enterprise_a, today - timedelta(days=400), decision_no="失信〔2024〕9号")
    with pytest.raises(PermissionDenied):
        services.remove_early(old, cast.town_a_user, today, "已整改")
    with pytest.raises(ValidationError):
        services.remove_early(old, cast.office, today, "")
    removed = services.remove_early(old, cast.office, today, "已履行处罚并完成整改")
    assert removed.removed_on == today and not removed.is_active_on(today)
    assert services.blacklisted_ids([cast.enterprise_a.pk]) == {cast.enterprise_a.pk}  # the other entry
    restored = services.restore_listing(removed, cast.office, "提供虚假材料")
    assert restored.removed_on is None and restored.is_active_on(today)


@pytest.mark.django_db
def test_blacklisted_exists_annotation_matches_the_rule(cast):
    today = date.today()
    make_listing(cast.enterprise_a, today - timedelta(days=4 * 365))  # expired
    qs = Enterprise.objects.annotate(flag=services.blacklisted_exists()).order_by("name")
    assert {e.name: e.flag for e in qs} == {"甲化工有限公司": False, "乙建筑有限公司": False}
    make_listing(cast.enterprise_b, today)
    qs = Enterprise.objects.annotate(flag=services.blacklisted_exists())
    assert {e.name: e.flag for e in qs} == {"甲化工有限公司": False, "乙建筑有限公司": True}
    assert BlacklistEntry.objects.count() == 2
