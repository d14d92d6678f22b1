"""Production settings: secrets from the environment, a clean `check --deploy`."""

import os
import subprocess
from pathlib import Path

from tests import servers

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_HTTPS": "true",
    "DJANGO_SECRET_KEY": "x7#kQ2!vLp9@rT4$wZ8^mN3&bH6*cF1(dJ5)sG0_yE2+uA7-iO4=eR9~qW3",
    "DJANGO_ALLOWED_HOSTS": "status.example.com",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`manage.py` with only `env`'s DJANGO_* settings (none inherited from the test run)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return servers.manage(*args, env={**clean, **env}, check=False, timeout=60)


def test_check_deploy_is_clean_with_the_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_a_secret_key_is_a_clear_start_up_error():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
