from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import filters
from ..homepage import describe_scope
from ..models import AuditEntry, Organisation, Sector, Territory, User
from ..permissions import permission_table
from . import serializers
from .schema import ApiSchema
from .views import ScopedModelViewSet, ScopedReadOnlyViewSet


class TerritoryViewSet(ScopedModelViewSet):
    queryset = Territory.objects.all()
    serializer_class = serializers.TerritorySerializer
    filterset_class = filters.TerritoryFilter
    permissions = {"read": "core.view_territory", "write": "core.change_territory"}


class SectorViewSet(ScopedModelViewSet):
    queryset = Sector.objects.all()
    serializer_class = serializers.SectorSerializer
    filterset_class = filters.SectorFilter
    permissions = {"read": "core.view_sector", "write": "core.change_sector"}


class OrganisationViewSet(ScopedModelViewSet):
    queryset = Organisation.objects.prefetch_related("sectors")
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    permissions = {"read": "core.view_organisation", "write": "core.change_organisation"}


class UserViewSet(ScopedReadOnlyViewSet):
    queryset = User.objects.all()
    serializer_class = serializers.UserSerializer
    filterset_class = filters.UserFilter
    permissions = {"read": "core.view_user"}


class AuditEntryViewSet(ScopedReadOnlyViewSet):
    queryset = AuditEntry.objects.select_related("content_type")
    serializer_class = serializers.AuditEntrySerializer
    filterset_class = filters.AuditFilter
    permissions = {"read": "core.view_auditentry"}


@extend_schema(responses={200: dict})
@api_view(["GET"])
@schema(ApiSchema())
@permission_classes([IsAuthenticated])
def me(request):
    """The signed-in user, their role, scope and the permission codes they hold."""
    user = request.user
    return Response(
        {
            "id": user.pk,
            "username": user.username,
            "name": user.name,
            "role": user.role,
            "scope": describe_scope(user),
            "permissions": sorted(code for code, roles in permission_table().items() if user.role in roles),
        }
    )
