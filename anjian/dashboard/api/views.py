from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anjian.core.api.schema import ApiSchema
from anjian.core.permissions import has_perm

from .. import metrics
from ..views import chosen_period, chosen_territory


@extend_schema(
    parameters=[
        OpenApiParameter("year", int),
        OpenApiParameter("quarter", int, description="0 全年，1–4 季度"),
        OpenApiParameter("territory", int, description="区划（须在本人数据范围内）"),
    ],
    responses={200: dict},
)
@api_view(["GET"])
@schema(ApiSchema())
def summary(request):
    """The dashboard's figures (headline and per child territory) for the user's scope, with their links."""
    if not has_perm(request.user, "dashboard.view_dashboard"):
        raise PermissionDenied("您的角色无权查看驾驶舱。")
    territory = chosen_territory(request)
    _year, _quarter, period = chosen_period(request)
    area = metrics.Area(territory, request.user)
    children = area.children()
    data = metrics.summary(area, period)
    colours = metrics.units_by_colour(area, children)
    towns = metrics.by_town(area, period, children, colours)
    return Response(
        {
            "territory": {"id": territory.pk, "name": territory.name},
            "period": {"start": period.start, "end": period.end, "label": period.label},
            **data,
            "towns": [
                {
                    "territory": {"id": row["territory"].pk, "name": row["territory"].name},
                    "hazards": row["hazards"],
                    "hazard_links": row["hazard_links"],
                    "accidents": row["accidents"],
                    "units_by_colour": row["colours"],
                }
                for row in towns
            ],
            "units_by_colour": [
                {k: c[k] for k in ("level", "label", "count", "url")} for c in colours["totals"]
            ],
        }
    )
