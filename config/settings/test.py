from .base import *  # noqa: F403

DATABASES = DATABASES or {"default": embedded_database()}  # noqa: F405
require_postgresql(DATABASES)  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
# Each test process keeps its own cache: nothing a test caches outlives it in a shared Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in process unless a test starts a real worker (concerns/tests/test_notify_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
WHITENOISE_USE_FINDERS = True
TASKS_RUN_INLINE = True  # background tasks run at once, in order, so tests can assert on them
