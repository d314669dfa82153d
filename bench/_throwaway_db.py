"""A database of the bench's own on the configured server, so a benchmark never touches dev data."""

import psycopg2
from django.conf import settings
from django.db import connection, connections


def _maintenance_connection():
    """A connection to the server's `postgres` database, to create and drop the bench database."""
    db = settings.DATABASES["default"]
    params = {
        "dbname": "postgres",
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
    }
    params = {key: value for key, value in params.items() if value}
    if "sslmode" in db.get("OPTIONS", {}):
        params["sslmode"] = db["OPTIONS"]["sslmode"]
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


def _drop(cursor, name: str) -> None:
    try:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except psycopg2.errors.SyntaxError:  # PostgreSQL before 13
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def create_bench_database(name: str) -> None:
    """Create `name` afresh and point Django's default connection at it."""
    conn = _maintenance_connection()
    try:
        with conn.cursor() as cursor:
            _drop(cursor, name)
            cursor.execute(f"CREATE DATABASE {name}")
    finally:
        conn.close()
    for settings_dict in (settings.DATABASES["default"], connections["default"].settings_dict):  # usually one dict
        settings_dict["NAME"] = name
        settings_dict["CONN_MAX_AGE"] = 60  # as with DATABASE_URL: a request, not a reconnect per request, is measured
    assert connection.settings_dict["NAME"] == name


def drop_bench_database(name: str) -> None:
    connections.close_all()
    conn = _maintenance_connection()
    try:
        with conn.cursor() as cursor:
            _drop(cursor, name)
    finally:
        conn.close()
