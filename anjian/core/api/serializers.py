from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers

from ..forms import NoControlCharacters
from ..models import AuditEntry, Organisation, Sector, Territory, User
from ..scope import restrict


def refuse_control_characters(fields, model=None) -> None:
    """Every writable text field refuses control characters, as the forms do (core.forms).

    A model's CharField is one line; a TextField, and free text of an action (reasons, notes), may hold tabs
    and line breaks.
    """
    for name, field in fields.items():
        if isinstance(field, serializers.ListField):
            field = field.child
        if not isinstance(field, serializers.CharField) or field.read_only:
            continue
        if any(isinstance(v, NoControlCharacters) for v in field.validators):
            continue
        multi_line = True
        if model is not None:
            try:
                model_field = model._meta.get_field(field.source or name)
            except FieldDoesNotExist:
                model_field = None
            multi_line = not isinstance(model_field, models.CharField)
        field.validators = [*field.validators, NoControlCharacters(multi_line=multi_line)]


def refuse_json_null(value):
    # A form-encoded "null" passes DRF's JSONField as None even where the column is NOT NULL.
    if value is None:
        raise serializers.ValidationError("不能为空。")


class CleanSerializer(serializers.Serializer):
    """A serializer of input that is no model: its text fields refuse control characters."""

    def get_fields(self):
        fields = super().get_fields()
        refuse_control_characters(fields)
        return fields


class CleanModelSerializer(serializers.ModelSerializer):
    """A model serializer whose text fields refuse control characters."""

    def get_fields(self):
        fields = super().get_fields()
        refuse_control_characters(fields, self.Meta.model)
        for field in fields.values():
            if isinstance(field, serializers.JSONField) and not field.allow_null and not field.read_only:
                field.validators = [*field.validators, refuse_json_null]
        return fields


class ScopedModelSerializer(CleanModelSerializer):
    """Related-record choices restricted to the user's scope, exactly like ScopedModelForm."""

    def get_fields(self):
        fields = super().get_fields()
        user = self.context.get("user")
        for field in fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None and hasattr(field, "child_relation"):
                queryset = getattr(field.child_relation, "queryset", None)
                target = field.child_relation
            else:
                target = field
            spec = getattr(getattr(queryset, "model", None), "scope", None)
            if queryset is not None and user is not None and spec is not None and not spec.public:
                target.queryset = restrict(queryset, user)
        return fields

    def validate(self, attrs):
        """Run the model's clean() so the API enforces the same invariants as the forms."""
        from django.core.exceptions import ValidationError as DjangoValidationError

        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = self.instance or model()
        m2m = {f.name for f in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in m2m:
                setattr(instance, name, value)
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        return attrs


class TerritorySerializer(ScopedModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Territory
        fields = ["id", "code", "name", "kind", "kind_display", "parent", "path", "depth", "retired_on"]
        read_only_fields = ["path", "depth"]


class SectorSerializer(ScopedModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name", "description", "is_active", "sort_order"]


class OrganisationSerializer(ScopedModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "territory",
            "parent",
            "lead_department",
            "sectors",
            "duty_phone",
            "is_active",
        ]


class UserSerializer(ScopedModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "phone",
            "role",
            "organisation",
            "territory",
            "enterprise",
            "title",
            "is_active",
            "last_login",
        ]
        read_only_fields = ["role", "last_login"]


class AuditEntrySerializer(CleanModelSerializer):
    content_type = serializers.StringRelatedField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "actor_name",
            "actor_role",
            "actor_organisation",
            "ip",
            "request_id",
            "action",
            "content_type",
            "object_id",
            "object_repr",
            "changes",
            "message",
        ]
