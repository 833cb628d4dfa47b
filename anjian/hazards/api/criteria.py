"""Clause suggestion API: GET /api/hazards/criteria/suggest/?text=…&sector=<code>.

Returns {"suggestions": [{"code", "standard", "clause", "text", "score", …}], "suggestion_id"}, best first; the
list is empty (and there is no suggestion_id) when no clause reads close enough to the text (an ordinary hazard gets no suggestion). See
hazards/criteria/suggest.py. A non-empty list is recorded (ClauseSuggestion); a client passes `suggestion_id` as
`clause_suggestion` when it registers the hazard, so the record says which hazard the suggestion was for.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from anjian.core.api.schema import ApiSchema
from anjian.core.models import Sector
from anjian.core.permissions import has_perm

from ..criteria.records import record_shown
from ..criteria.suggest import suggest

Suggestion = inline_serializer(
    "ClauseSuggestion",
    {
        "id": drf_serializers.IntegerField(),
        "code": drf_serializers.CharField(),
        "standard": drf_serializers.CharField(),
        "clause": drf_serializers.CharField(),
        "text": drf_serializers.CharField(),
        "confidence": drf_serializers.CharField(),
        "score": drf_serializers.FloatField(),
    },
    many=True,
)


@extend_schema(
    parameters=[
        OpenApiParameter("text", str, required=True, description="隐患描述"),
        OpenApiParameter("sector", str, description="行业领域代码，如 hazchem"),
    ],
    responses={
        200: inline_serializer(
            "ClauseSuggestions",
            {
                "suggestions": Suggestion,
                "suggestion_id": drf_serializers.IntegerField(
                    required=False,
                    help_text="推荐记录编号（有推荐时才有）；登记隐患时作为 clause_suggestion 提交",
                ),
            },
        )
    },
)
@api_view(["GET"])
@schema(ApiSchema())
@permission_classes([IsAuthenticated])
def suggest_criteria(request):
    """Clauses of the 重大事故隐患判定标准 that read like the description, best first (empty if none is close)."""
    if not has_perm(request.user, "hazards.view_majorhazardcriterion"):
        return Response({"detail": "没有查看判定标准的权限。"}, status=status.HTTP_403_FORBIDDEN)
    text = request.query_params.get("text", "")
    if len(text) > 2000:
        return Response({"text": ["隐患描述过长。"]}, status=status.HTTP_400_BAD_REQUEST)
    sector = None
    code = request.query_params.get("sector", "")
    if code:
        sector = Sector.objects.filter(code=code[:40]).first()
        if sector is None:
            return Response({"sector": ["没有该行业领域代码。"]}, status=status.HTTP_400_BAD_REQUEST)
    suggestions = suggest(text, sector)
    log = record_shown(request.user, text, sector, suggestions)
    # Nothing suggested, nothing recorded: the answer stays {"suggestions": []}.
    return Response({"suggestions": suggestions, "suggestion_id": log.pk} if log else {"suggestions": []})
