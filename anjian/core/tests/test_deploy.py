"""Deployment defaults: production refuses unsafe settings, is secure by default, and passes `check --deploy`.

Settings are read once per process, so each mode is started in a subprocess with the documented environment
(docs/operations-deployment.md).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from anjian.settings import EMBEDDED_SECRET_KEY

ROOT = Path(__file__).resolve().parents[3]

# The production environment as docs/operations-deployment.md lists it (values are examples).
PRODUCTION_ENV = {
    "DEPLOYMENT": "production",
    "SECRET_KEY": "k3Jx9-qW2vLp8RtY6uZ4aN1sD7fG5hJ0mB3cV8xQ2wE6rT9yU4iO1pA7sD5fG3hK",
    "ALLOWED_HOSTS": "anjian.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://anjian.example.gov.cn",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
}
# API schema naming hints from drf-spectacular (enum names in the OpenAPI document): not a deployment
# or security matter; listed here so that any other warning fails the test.


def run(env_overrides, *args, code=None):
    # (The browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE for the live server: not part of a deployment.)
    drop = {"DEPLOYMENT", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    command = [sys.executable, "manage.py", *args] if code is None else [sys.executable, "-c", code]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


def check_ids(output: str) -> set[str]:
    return set(re.findall(r"\(([\w.]+\.[WE]\d+)\)", output))


SETTINGS_AS_JSON = """
import json, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "CONTENT_SECURITY_POLICY")}))
"""


def test_check_deploy_is_clean_with_the_documented_production_environment():
    result = run(PRODUCTION_ENV, "check", "--deploy", "--fail-level", "ERROR")
    assert result.returncode == 0, result.stderr
    assert check_ids(result.stdout + result.stderr) == set(), result.stdout + result.stderr


def test_production_is_secure_by_default():
    result = run(PRODUCTION_ENV, code=SETTINGS_AS_JSON)
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout.strip().splitlines()[-1])
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": EMBEDDED_SECRET_KEY}, "SECRET_KEY"),
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"DEPLOYMENT": "staging"}, "DEPLOYMENT"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(overrides, reason):
    env = {**PRODUCTION_ENV, **overrides}
    if env["SECRET_KEY"] == "":
        del env["SECRET_KEY"]  # unset: the embedded key would be used
    result = run(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and reason in result.stderr


def test_embedded_mode_passes_check_deploy_at_error_level_and_says_it_is_embedded():
    # The CI quick-start smoke test runs exactly this on the demo database.
    result = run({}, "check", "--deploy", "--fail-level", "ERROR")
    assert result.returncode == 0, result.stderr
    assert "anjian.W010" in result.stdout + result.stderr


def test_embedded_mode_keeps_plain_http_defaults(settings):
    assert settings.DEPLOYMENT == "embedded"
    assert not settings.SECURE_SSL_REDIRECT and settings.SECURE_HSTS_SECONDS == 0


def test_style_policy_has_no_unsafe_inline(client, db):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    style_src = next(d for d in policy.split(";") if d.strip().startswith("style-src"))
    assert "unsafe-inline" not in style_src
    assert "unsafe-inline" not in policy


def test_templates_carry_no_inline_styles():
    """With style-src 'self' the browser ignores style attributes and <style> blocks: use anjian/utilities.css."""
    offenders = []
    for path in (ROOT / "anjian").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if re.search(r"\sstyle\s*=|<style[\s>]", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_health_probe_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/login/").status_code == 301


def test_api_docs_page_has_no_inline_style_block(cast, client_for):
    response = client_for(cast.office).get("/api/docs/")
    assert response.status_code == 200
    assert b"<style" not in response.content and b"swagger-ui" in response.content


def test_demo_server_refuses_to_run_in_production(settings):
    from django.core.management import CommandError, call_command

    settings.DEPLOYMENT = "production"
    with pytest.raises(CommandError, match="嵌入式模式"):
        call_command("run_demo_server")
