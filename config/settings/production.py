"""Production: everything comes from the environment, and nothing falls back to a development default.

Without a database server, a broker, the hosts to serve and a secret key the service would run on
an embedded database, run background work in the web process, or sign sessions with a known key:
it refuses to start instead, naming what is missing.
"""

import os

from django.core.exceptions import ImproperlyConfigured

REQUIRED = {
    "DATABASE_URL": "the PostgreSQL server, e.g. postgres://user:password@host:5432/brokerage",
    "REDIS_URL": "the Redis broker for Celery, e.g. redis://host:6379/0",
    "ALLOWED_HOSTS": "the host names this service answers to, comma-separated",
    "DJANGO_SECRET_KEY": "a long random secret key",
}
_missing = [name for name in REQUIRED if not os.environ.get(name, "").strip()]
if _missing:
    raise ImproperlyConfigured(
        "Production settings refuse to start without "
        + "; ".join(f"{name} ({REQUIRED[name]})" for name in _missing)
        + ". Set them in the environment."
    )

from .base import *  # noqa: E402, F403

require_postgresql(DATABASES)  # noqa: F405
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = [host.strip() for host in os.environ["ALLOWED_HOSTS"].split(",") if host.strip()]
# Links in e-mails go to the first host served, over HTTPS, unless SITE_URL says otherwise.
SITE_URL = (os.environ.get("SITE_URL", "").strip() or f"https://{ALLOWED_HOSTS[0]}").rstrip("/")

# TLS ends at the load balancer, which must set X-Forwarded-Proto and strip any the client sent.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Hashed names; the unhashed originals stay beside them, so static/js/application.js imports GOV.UK Frontend by
# its plain relative path.
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
