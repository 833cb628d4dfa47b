"""Excel import of the ledgers that towns and departments already keep: emergency supplies and rescue teams."""

from django.core.exceptions import ValidationError

from anjian.core.importing import ImportColumn, Importer, parse_date, register
from anjian.core.models import Territory
from anjian.core.scope import restrict

from .forms import SupplyForm, TeamForm
from .models import RescueTeam, Supply, TeamTier

TIER_BY_LABEL = {label: value for value, label in TeamTier.choices}


def parse_tier(text: str) -> str:
    if text in TIER_BY_LABEL:
        return TIER_BY_LABEL[text]
    if text in TeamTier.values:
        return text
    raise ValidationError(f"队伍类别“{text}”无效，可选：{'、'.join(TIER_BY_LABEL)}。")


def parse_territory_code(text: str) -> int:
    territory = Territory.objects.filter(code=text.strip()).only("pk").first()
    if territory is None:
        raise ValidationError(f"区划代码“{text}”不存在。")
    return territory.pk


@register
class SupplyImporter(Importer):
    key = "operations-supplies"
    title = "应急物资装备"
    permission = "operations.change_emergency"
    form_class = SupplyForm
    model = Supply
    list_url = "operations:supply_list"
    columns = [
        ImportColumn(
            "名称", "name", required=True, example="编织袋", synonyms=("物资名称", "装备名称", "物资装备名称")
        ),
        ImportColumn(
            "类别", "category", required=True, example="防汛", synonyms=("物资类别", "物资类型", "用途")
        ),
        ImportColumn(
            "存放区划代码", "territory", required=True, example="990102101", parse=parse_territory_code
        ),
        ImportColumn(
            "存放地点",
            "location",
            required=True,
            example="青石镇应急物资仓库",
            synonyms=("存放位置", "储存地点", "储备地点"),
        ),
        ImportColumn("数量", "quantity", required=True, example="2000", synonyms=("储备数量", "库存数量")),
        ImportColumn("单位", "unit", example="条", synonyms=("计量单位",)),
        ImportColumn(
            "有效期至",
            "expiry_date",
            example="2028-12-31",
            parse=parse_date,
            synonyms=("有效期", "失效日期", "有效日期"),
        ),
        ImportColumn("保管人", "keeper", example="张三", synonyms=("管理人", "保管员")),
        ImportColumn("联系电话", "keeper_phone", example="13900000000", synonyms=("保管人电话", "电话")),
    ]

    def find_existing(self, data):
        # The same item at the same place is one row: importing the ledger again updates quantities.
        if not (data.get("name") and data.get("location") and data.get("territory")):
            return None
        return restrict(
            Supply.objects.filter(
                name=data["name"], location=data["location"], territory_id=data["territory"]
            ),
            self.user,
        ).first()


@register
class RescueTeamImporter(Importer):
    key = "operations-teams"
    title = "应急救援队伍"
    permission = "operations.change_emergency"
    form_class = TeamForm
    model = RescueTeam
    key_field = "name"
    key_label = "队伍名称"
    list_url = "operations:team_list"
    columns = [
        ImportColumn(
            "队伍名称", "name", required=True, example="青石镇应急救援队", synonyms=("救援队伍名称", "名称")
        ),
        ImportColumn(
            "队伍类别",
            "tier",
            required=True,
            example="综合性救援队伍",
            choices=tuple(TIER_BY_LABEL),
            parse=parse_tier,
        ),
        ImportColumn(
            "驻地区划代码", "territory", required=True, example="990102101", parse=parse_territory_code
        ),
        ImportColumn(
            "专业方向", "specialties", example="防汛抢险", synonyms=("专业", "救援类型", "擅长领域")
        ),
        ImportColumn("驻地", "base_address", example="青石镇政府大院", synonyms=("驻地地址", "地址")),
        ImportColumn("负责人", "leader", required=True, example="李四", synonyms=("队长",)),
        ImportColumn(
            "联系电话",
            "phone",
            required=True,
            example="13900000000",
            synonyms=("电话", "值班电话", "队长电话"),
        ),
        ImportColumn("队员人数", "member_count", example="20", synonyms=("人数", "队伍人数")),
    ]

    def find_existing(self, data):
        if not data.get("name"):
            return None
        return restrict(RescueTeam.objects.filter(name=data["name"]), self.user).first()
