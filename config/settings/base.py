"""Settings shared by every environment, read from the environment where they differ."""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-local-only-key-do-not-use-in-production")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "axes",
    "csp",
    "guardian",
    "django_fsm",
    "django_htmx",
]
LOCAL_APPS = [
    "core",
    "catalogue",
    "accounts",
    "audit",
    "people",
    "referrals",
    "brokerage",
    "concerns",
    "providers",
    "dps",
    "approvals",
    "purchase_orders",
    "packages",
    "commissioning",
    "placements",
    "supported_living",
    "reviews",
    "changes",
    "finance",
    "invoices",
    "reablement",
    "shared_lives",
    "direct_payments",
    "respite",
    "portal",
    "dashboard",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.permissions.PermissionTableMiddleware",  # each app's table of who may reach a page: fails closed
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.SessionLimitsMiddleware",  # after messages: it tells the user why they were signed out
    "core.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboard.context_processors.navigation",
            ],
        },
    },
]

# PostgreSQL only. DATABASE_URL names a server. Development and test settings fall back to an
# embedded server (config/embedded_postgres.py) so a fresh clone runs with nothing configured;
# production refuses to start without one (config/settings/production.py).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = (
    {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)} if DATABASE_URL else {}
)


def embedded_database() -> dict:
    """The embedded server's database, started on first use; its data in .pgdata/ in the checkout."""
    from config.embedded_postgres import database_settings

    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    return database_settings(BASE_DIR / ".pgdata")


def require_postgresql(databases: dict) -> None:
    if not databases.get("default", {}).get("ENGINE", "").endswith("postgresql"):
        raise RuntimeError("This service runs on PostgreSQL only.")


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before any other backend
    "accounts.backends.UserBackend",  # ModelBackend, with the roles read with the user
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # nobody signed out sees anything
GUARDIAN_RAISE_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Five wrong passwords for one username from one address lock it out for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Case records of vulnerable adults: a session ends after 30 minutes idle and after 8 hours in all
# (core.middleware.SessionLimitsMiddleware decides both on the server), and when the browser closes.
# Sessions are read from the cache (Redis when REDIS_URL is set) and written through to the database, so
# a page costs no session query; a cache emptied or restarted loses nobody's session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_IDLE_SECONDS = 30 * 60
SESSION_MAX_SECONDS = 8 * 60 * 60
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour

# Nothing runs but our own script files: no inline script, no inline style, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request without it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"

# Celery: with REDIS_URL a real broker, worker and beat; without it tasks run in process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "brokerage",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A message is acknowledged once its task has finished, and goes back on the queue if the process running it
# dies (SIGKILL, the OOM killer): without reject_on_worker_lost Celery acknowledges it even then, and the task
# is lost for good. So a task may run more than once and must be safe to (purchase_orders/tasks.py is).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# No task runs longer than this; the purchase order PDF has its own shorter limits (purchase_orders/tasks.py).
CELERY_TASK_TIME_LIMIT = 5 * 60
# Redis gives a message that no worker has acknowledged within the visibility timeout to another worker. That
# brings back a message whose whole worker was killed, but would also start a second copy of a task still
# running, so it is several times the longest hard time limit above. The longer it is, the longer a killed
# worker's message waits (Redis's default is an hour), which is why the purchase order sweep below does not
# wait for it. No task uses an ETA, nor a countdown longer than the 10 minutes an e-mail waits to be
# tried again (core.mail.RETRY_SENDING): one longer than this would run again and again.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30 * 60}
CELERY_TIMEZONE = TIME_ZONE
# Every periodic task is declared here, in one place.
CELERY_BEAT_SCHEDULE: dict = {
    # Orders whose PDF or e-mails a lost worker dropped (purchase_orders.services.requeue_unfinished_orders).
    "requeue-unfinished-purchase-orders": {
        "task": "purchase_orders.tasks.requeue_unfinished_purchase_orders",
        "schedule": 60.0,
        "options": {"expires": 55},  # a sweep no worker took in time is dropped: the next one does its work
    },
    # Suspensions that begin or recommence, and temporary increases that end, today (changes.services).
    "apply-due-package-changes": {
        "task": "changes.tasks.apply_due_changes",
        "schedule": crontab(hour=0, minute=5),
        "options": {"expires": 6 * 60 * 60},  # a sweep no worker took by morning is dropped: the next one does it
    },
    # Reviews due within the week reminded, overdue ones escalated, once each (reviews.services.sweep_reviews).
    "sweep-reviews": {
        "task": "reviews.tasks.sweep_reviews",
        "schedule": crontab(hour=6, minute=0),
        "options": {"expires": 6 * 60 * 60},  # not taken by noon: dropped, and the next morning's run catches up
    },
    # Respite allowances whose year is over end (respite.services.end_due_allowances).
    "end-due-respite-allowances": {
        "task": "respite.tasks.end_due_allowances",
        "schedule": crontab(hour=0, minute=15),
        "options": {"expires": 6 * 60 * 60},  # a sweep no worker took by morning is dropped: the next one does it
    },
    # Call monitoring imports whose worker was stopped mid-task say so (finance.importing.fail_stalled_imports).
    "fail-stalled-call-monitoring-imports": {
        "task": "finance.tasks.fail_stalled_imports",
        "schedule": 5 * 60.0,
        "options": {"expires": 4 * 60},
    },
    # One-time form tokens older than a week (core.once).
    "forget-old-form-submissions": {
        "task": "core.tasks.forget_old_form_submissions",
        "schedule": 24 * 60 * 60.0,
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = "brokerage@riverside.example.gov.uk"
# Where users reach the service, for the links in e-mails (core.mail.absolute_url): scheme and host, no slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, opted into now
