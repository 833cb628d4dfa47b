"""Small builders for registry tests (the fixed cast comes from anjian.core.testing)."""

from datetime import date
from decimal import Decimal

from anjian.registry import rules
from anjian.registry.models import BlacklistEntry, Enterprise, RiskPoint

_serial = [100]


def valid_code(serial: int | None = None) -> str:
    if serial is None:
        _serial[0] += 1
        serial = _serial[0]
    body = f"{serial:08d}"
    first17 = f"91990102{body}{rules.org_code_check_char(body)}"
    return first17 + rules.credit_code_check_char(first17)


def make_enterprise(territory, sectors=(), **fields) -> Enterprise:
    enterprise = Enterprise.objects.create(
        name=fields.pop("name", f"测试单位{_serial[0]}"),
        credit_code=fields.pop("credit_code", valid_code()),
        territory=territory,
        **fields,
    )
    if sectors:
        enterprise.sectors.set(sectors)
    return enterprise


def make_risk_point(enterprise, lec=(3, 6, 7), ls=None, **fields) -> RiskPoint:
    if ls is not None:
        extra = {"method": "ls", "ls_l": ls[0], "ls_s": ls[1]}
    else:
        extra = {
            "method": "lec",
            "lec_l": Decimal(lec[0]),
            "lec_e": Decimal(lec[1]),
            "lec_c": Decimal(lec[2]),
        }
    return RiskPoint.objects.create(
        enterprise=enterprise, name=fields.pop("name", "风险点"), **extra, **fields
    )


def make_listing(enterprise, start: date, **fields) -> BlacklistEntry:
    return BlacklistEntry.objects.create(
        enterprise=enterprise,
        ground=fields.pop("ground", "no_licence"),
        penalty_decision_no="罚〔2025〕1号",
        decision_no=fields.pop("decision_no", "失信〔2025〕1号"),
        start_date=start,
        **fields,
    )
