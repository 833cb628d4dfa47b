"""Small builders for enforcement tests, on top of the fixed cast."""

from datetime import date
from decimal import Decimal

from anjian.enforcement import services
from anjian.enforcement.models import Case, Measure, Provision, ViolationFinding
from anjian.enforcement.provisions import seed_provisions


def provision(code="L1-102") -> Provision:
    # Transactional (live-server) tests flush the seeded library: re-seed on demand.
    if not Provision.objects.filter(code=code).exists():
        seed_provisions(Provision)
    return Provision.objects.get(code=code)


def partner(user):
    """A second certified officer of `user`'s department: cases need two (行政处罚法 第四十二条)."""
    from anjian.core.models import User
    from anjian.core.testing import make_user

    username = f"{user.username}_partner"
    return User.objects.filter(username=username).first() or make_user(
        username,
        user.role,
        user.territory,
        user.organisation,
        certificate_no=f"P-{user.pk:05d}",
    )


def open_case(cast, user=None, enterprise=None, sector=None, **extra) -> Case:
    user = user or cast.inspector
    enterprise = enterprise or cast.enterprise_a
    if "co_handler" not in extra:
        extra["co_handler"] = partner(user)
    case = Case(
        title=extra.pop("title", "未采取措施消除事故隐患"),
        enterprise=enterprise,
        territory=enterprise.territory,
        sector=sector or cast.hazchem,
        source_kind=extra.pop("source_kind", "inspection"),
        facts=extra.pop("facts", "储罐区静电接地缺失，经责令整改逾期未改正。"),
        filed_on=extra.pop("filed_on", date.today()),
        **extra,
    )
    return services.open_case(case, user)


def add_fine(case, user, amount="30000", code="L1-102", measure="fine") -> Measure:
    return services.add_measure(
        Measure(case=case, measure=measure, provision=provision(code), amount=Decimal(amount)), user
    )


def finding(cast, user=None, enterprise=None, **extra) -> ViolationFinding:
    enterprise = enterprise or cast.enterprise_a
    return ViolationFinding.objects.create(
        source=extra.pop("source", "hazard"),
        enterprise=enterprise,
        territory=enterprise.territory,
        sector=extra.pop("sector", cast.hazchem),
        description=extra.pop("description", "未采取措施消除事故隐患"),
        created_by=user or cast.inspector,
        **extra,
    )


def to_decided(cast, case, handler=None, approver=None):
    """立案 → 调查取证 → 告知 → (当事人放弃) → 决定, with a fine."""
    handler = handler or cast.inspector
    approver = approver or cast.office
    if not case.measures.exclude(measure="order_rectification").exists():
        add_fine(case, handler)
    services.transition(case, "investigate", handler)
    services.transition(case, "notify", handler)
    services.record_hearing(case, handler, waived=True)
    return services.transition(case, "decide", approver)
