"""The OpenAPI description tells the truth: error answers, arrays, blank choices, enum names, 403 vs 409."""

import re

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_operation_documents_its_errors(schema):
    missing = []
    for path, method, operation in operations(schema):
        if path.startswith("/api/auth/"):
            continue  # signing in answers 400/403/429, never 401
        if path.startswith("/api/core/tokens/") and "ApiSchema" not in settings.REST_FRAMEWORK.get(
            "DEFAULT_SCHEMA_CLASS", ""
        ):
            continue  # its viewset does not use ApiSchema yet (DEFAULT_SCHEMA_CLASS would cover it)
        expected = {"400", "401", "403"} | ({"404"} if "{" in path else set())
        lacking = expected - set(map(str, operation["responses"]))
        if lacking:
            missing.append((method, path, sorted(lacking)))
    assert not missing


def test_hazard_actions_document_the_state_conflict(schema):
    accept = schema["paths"]["/api/hazards/hazards/{id}/accept/"]["post"]["responses"]
    assert "409" in accept
    assert "409" not in schema["paths"]["/api/hazards/hazards/"]["post"]["responses"]


def _response_schema(schema, path, method="get"):
    content = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    return content


def test_plain_lists_are_documented_as_arrays(schema):
    assert _response_schema(schema, "/api/hazards/hazards/criteria/")["type"] == "array"
    assert _response_schema(schema, "/api/hazards/hazards/{id}/available-actions/")["type"] == "array"
    compute = schema["paths"]["/api/assessment/schemes/{id}/compute/"]["post"]["responses"]["200"]
    assert compute["content"]["application/json"]["schema"]["type"] == "array"


def test_unassessed_risk_level_is_a_documented_blank(schema):
    field = schema["components"]["schemas"]["Enterprise"]["properties"]["risk_level"]
    refs = [option.get("$ref", "") for option in field.get("oneOf", [])]
    assert any(ref.endswith("/BlankEnum") for ref in refs), field


def test_enum_names_are_chosen_not_hashed(schema):
    # drf-spectacular resolves a collision by a hash: "Grade" + "E8f" + "Enum".
    hashed = [
        name for name in schema["components"]["schemas"] if re.search(r"[A-Z0-9][0-9a-f]{2}Enum$", name)
    ]
    assert not hashed


@pytest.mark.django_db
def test_role_refusal_is_403_state_refusal_is_409(cast, api_for):
    from anjian.hazards import services

    hazard = services.register_hazard(
        actor=cast.inspector, enterprise=cast.enterprise_a, description="消防通道堵塞", grade="general"
    )
    url = f"/api/hazards/hazards/{hazard.pk}"
    # The unit may never accept a rectification: its role (403).
    response = api_for(cast.enterprise_a_user).post(f"{url}/accept/", {}, format="json")
    assert response.status_code == 403 and response.json()["detail"]
    # The inspector may, but not while the hazard is still being rectified: its state (409).
    response = api_for(cast.inspector).post(f"{url}/accept/", {}, format="json")
    assert response.status_code == 409 and response.json()["detail"]
    # Registering outside the department's sectors: refused, and not a state conflict.
    response = api_for(cast.inspector).post(
        "/api/hazards/hazards/",
        {
            "enterprise": cast.enterprise_a.pk,
            "sector": cast.construction.pk,
            "description": "脚手架松动",
            "grade": "general",
        },
        format="json",
    )
    assert response.status_code == 403 and response.json()["detail"]


@pytest.mark.django_db
def test_a_json_list_body_is_a_client_error(cast, api_for):
    api = api_for(cast.office)
    api.raise_request_exception = False
    assert api.post("/api/auth/token/", [1, 2], format="json").status_code == 400
    from anjian.assessment.models import AssessmentScheme

    scheme = AssessmentScheme.objects.first()
    if scheme is not None:
        response = api.post(f"/api/assessment/schemes/{scheme.pk}/compute/", [1], format="json")
        assert response.status_code < 500
