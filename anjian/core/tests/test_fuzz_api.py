"""Every API operation, fuzzed from its OpenAPI schema by schemathesis, as the office, a town and a unit.

The examples, fuzzing and stateful (links between operations) phases run in-process against the WSGI
application: no server error, and every documented answer matches its schema. `make test` runs a short pass;
`make fuzz` a long one with the coverage phase (ANJIAN_FUZZ_EXAMPLES, _STATEFUL_STEPS, _COVERAGE, _SEED;
ANJIAN_FUZZ_VERBOSE=1 prints each failure's detail).
"""

import os
import time
from collections import Counter

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events

# The short pass of `make test` (about a minute for the three roles on two cores); `make fuzz` raises these.
MAX_EXAMPLES = int(os.environ.get("ANJIAN_FUZZ_EXAMPLES", "3"))
STATEFUL_STEPS = int(os.environ.get("ANJIAN_FUZZ_STATEFUL_STEPS", "5"))
# The coverage phase (boundary values of every parameter) takes most of the time: the long run only.
COVERAGE = os.environ.get("ANJIAN_FUZZ_COVERAGE", "0") == "1"
VERBOSE = os.environ.get("ANJIAN_FUZZ_VERBOSE") == "1"
CHECKS = ("not_a_server_error", "response_schema_conformance")


def fuzz_config(headers: dict) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "headers": headers,  # every generated request is signed in
            "seed": int(os.environ.get("ANJIAN_FUZZ_SEED", "20261201")),
            "workers": 1,
            "color": False,
            "generation": {"max-examples": MAX_EXAMPLES, "no-shrink": True, "database": "none"},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "phases": {"coverage": {"enabled": COVERAGE}, "stateful": {"max-steps": STATEFUL_STEPS}},
        }
    )


def run_engine(schema) -> tuple[list[str], Counter]:
    """Run every phase; returns the failed checks and a count of scenarios per phase and answers per status."""
    failures, seen = [], Counter()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.recorder is not None:
            seen[str(event.phase.name if hasattr(event.phase, "name") else event.phase)] += 1
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    seen[interaction.response.status_code] += 1
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.status == Status.FAILURE:
                        case = event.recorder.cases[case_id].value
                        failure = check.failure_info.failure if check.failure_info else None
                        title = getattr(failure, "title", "")
                        if VERBOSE and failure is not None:
                            print(case.method, case.formatted_path, getattr(failure, "message", "")[:600])
                        failures.append(f"{check.name}: {case.method} {case.formatted_path} {title}".strip())
        elif isinstance(event, events.NonFatalError):
            failures.append(f"error: {event.label}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            raise event.exception
    return failures, seen


@pytest.mark.parametrize("role", ["office", "town_a_user", "enterprise_a_user"])
def test_api_fuzzing(live_cast, settings, role):
    from django.core.wsgi import get_wsgi_application

    from anjian.core import tokens

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    _token, key = tokens.issue(getattr(live_cast, role), "接口模糊测试")
    headers = {"Authorization": f"Token {key}"}
    config = fuzz_config(headers)
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", get_wsgi_application(), config=config, headers=headers
    )
    started = time.monotonic()
    failures, seen = run_engine(schema)
    print(f"{role}: {dict(seen)} in {time.monotonic() - started:.0f} s")
    assert seen, "schemathesis ran no scenario"
    summary = Counter(failures)
    assert not summary, "\n".join(f"{n}× {text}" for text, n in summary.most_common())
