import pytest
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator


@pytest.mark.django_db
def test_openapi_schema_of_the_operations_api():
    generator = SchemaGenerator(patterns=[path("api/operations/", include("anjian.operations.api.urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert "/api/operations/tips/{id}/verify/" in schema["paths"]
    assert "/api/operations/warning-notices/{id}/acknowledge/" in schema["paths"]
