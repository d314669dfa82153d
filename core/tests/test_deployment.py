"""Production settings: nothing falls back to a development default, and Django's deployment
checklist passes. Each runs manage.py in a fresh process, as a server would start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DATABASE_URL": "postgres://brokerage:secret@db.internal:5432/brokerage",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "ALLOWED_HOSTS": "brokerage.riverside.example.gov.uk",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
}


def manage(*args, **environment):
    """manage.py as a server starts it: the system's basics and what it is given, nothing from this test run
    (which sets, for instance, DJANGO_ALLOW_ASYNC_UNSAFE for the browser tests)."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", **environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_finds_nothing_with_the_required_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_database_server():
    result = manage("check", **{k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"})
    assert result.returncode != 0
    assert "Production settings refuse to start without DATABASE_URL" in result.stderr
    assert not (ROOT / ".pgdata" / "postmaster.pid").exists() or "embedded" not in result.stderr


def test_production_names_everything_that_is_missing():
    result = manage("check")
    assert result.returncode != 0
    for name in PRODUCTION:
        assert name in result.stderr
