"""API tokens over the API: sign in for a new key (/api/auth/token/), list, make and revoke keys (/api/core/tokens/).

The owner sees and revokes their own keys; the security administrator (core.revoke_apitoken) also those of the
accounts in their scope. A key is in the answer only once, when it is made.
"""

from django.contrib.auth import authenticate, user_logged_in
from django.db.models import Q
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from .. import tokens
from ..auth_limits import lockout_response
from ..context import acting_as
from ..models import ApiToken, User
from ..permissions import has_perm
from ..scope import restrict
from .views import ID_REGEX, ActorFromTokenMixin

REVOKE_ANY = "core.revoke_apitoken"
SIGN_IN_NAME = "接口登录（/api/auth/token/）"


class ApiTokenSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.get_full_name", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "user",
            "user_name",
            "name",
            "prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
            "revoked_reason",
            "status",
        ]
        read_only_fields = [f for f in fields if f != "name"]

    def get_status(self, token) -> str:
        return tokens.status(token)


class NewTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="令牌本身，仅此一次显示")

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]


def tokens_visible_to(user):
    """The user's own tokens, and for the security administrator those of the accounts in their scope."""
    if has_perm(user, REVOKE_ANY):
        return ApiToken.objects.filter(
            Q(user=user) | Q(user__in=restrict(User.objects.all(), user).values("pk"))
        )
    return ApiToken.objects.filter(user=user)


def new_token_answer(token, key) -> dict:
    return {"token": key, **ApiTokenSerializer(token).data}


class ApiTokenViewSet(
    ActorFromTokenMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ApiToken.objects.none()  # for the schema; requests use get_queryset
    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        queryset = tokens_visible_to(self.request.user).select_related("user")
        if self.request.query_params.get("user", "").isdigit():
            queryset = queryset.filter(user_id=int(self.request.query_params["user"]))
        return queryset

    @extend_schema(request=ApiTokenSerializer, responses={201: NewTokenSerializer})
    def create(self, request, *args, **kwargs):
        """Make a key for the signed-in user. The key is in this answer only."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = tokens.issue(request.user, serializer.validated_data.get("name", ""))
        response = Response(new_token_answer(token, key), status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = self.get_object()
        who = "本人" if token.user_id == request.user.pk else f"安全管理员 {request.user.get_full_name()}"
        tokens.revoke(token, f"由{who}吊销")
        return Response(ApiTokenSerializer(token).data)


@extend_schema(
    request=inline_serializer(
        "TokenSignIn", {"username": serializers.CharField(), "password": serializers.CharField()}
    ),
    responses={200: NewTokenSerializer, 400: OpenApiResponse(description="用户名或密码错误"), 429: None},
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def obtain_token(request):
    """Username and password for a new key (shown once). Subject to the same sign-in limits as the login page."""
    data = request.data if isinstance(request.data, dict) else {}  # a JSON list or string is no sign-in
    username = str(data.get("username", ""))
    password = str(data.get("password", ""))
    if not username or not password:
        return Response({"detail": "请提供用户名和密码。"}, status=status.HTTP_400_BAD_REQUEST)
    django_request = request._request  # axes keeps its counters and flags on the Django request
    user = authenticate(django_request, username=username, password=password)
    if user is None:
        if getattr(django_request, "axes_locked_out", False):
            return lockout_response(django_request)
        return Response({"detail": "用户名或密码错误。"}, status=status.HTTP_400_BAD_REQUEST)
    # A success ends the run of failures from this address, as on the login page, and sets the last sign-in.
    user_logged_in.send(sender=type(user), request=django_request, user=user)
    with acting_as(user=user, ip=request.META.get("REMOTE_ADDR"), label=user.get_full_name()):
        token, key = tokens.issue(user, SIGN_IN_NAME)
    response = Response(new_token_answer(token, key))
    response["Cache-Control"] = "no-store"
    return response
