"""The registry's endpoints appear in the OpenAPI schema and generate without errors."""

import pytest
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator


@pytest.mark.django_db
def test_registry_api_schema_generates():
    patterns = [path("api/registry/", include("anjian.registry.api.urls"))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/registry/enterprises/" in paths
    assert "/api/registry/enterprises/{id}/" in paths
    assert "/api/registry/blacklist/" in paths
    props = schema["components"]["schemas"]["Enterprise"]["properties"]
    assert props["is_blacklisted"]["readOnly"] is True
