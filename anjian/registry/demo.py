"""Demo enterprises. The first two are the fixed cast used in the README (enterprise users qiye_a, qiye_b)."""

from anjian.core.roles import Role

from .models import Enterprise
from .rules import credit_code_check_char, org_code_check_char


def demo_credit_code(ctx, serial: int) -> str:
    """A well-formed fictional code: 91 (工商·企业) + district code + a 9-character body + check character."""
    body = f"{serial:08d}"
    first17 = f"91{ctx.district.code}{body}{org_code_check_char(body)}"
    return first17 + credit_code_check_char(first17)


def build(ctx) -> None:
    qingshi_village = ctx.territories["990102101201"]
    liuhe_village = ctx.territories["990102102201"]
    a = Enterprise.objects.create(
        name="青山宏达化工有限公司",
        credit_code=demo_credit_code(ctx, 1),
        territory=qingshi_village,
        address="青石镇工业路8号",
    )
    a.sectors.set([ctx.sectors["hazchem"], ctx.sectors["confinedSpace"]])
    b = Enterprise.objects.create(
        name="柳河建工集团有限公司",
        credit_code=demo_credit_code(ctx, 2),
        territory=liuhe_village,
        address="柳河镇河口路16号",
    )
    b.sectors.set([ctx.sectors["construction"]])
    ctx.add_user(
        "qiye_a", "黄安全", Role.ENTERPRISE, territory=a.territory, enterprise=a, phone="13900000011"
    )
    ctx.add_user(
        "qiye_b", "林安全", Role.ENTERPRISE, territory=b.territory, enterprise=b, phone="13900000012"
    )
    ctx.enterprises = {"a": a, "b": b}
