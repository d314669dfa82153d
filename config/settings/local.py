from .base import *  # noqa: F403

DEBUG = True
WHITENOISE_USE_FINDERS = True  # serve static/ straight from the checkout
DATABASES = DATABASES or {"default": embedded_database()}  # noqa: F405
require_postgresql(DATABASES)  # noqa: F405
