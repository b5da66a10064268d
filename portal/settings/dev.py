"""Local development: `make run`. DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403  (settings modules extend the base namespace)
from .base import DATABASES, DEFAULT_STORAGE, env

DEBUG = env.bool("DEBUG", default=True)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# runserver handles every request in a new thread: a persistent connection would stay open after its thread
# ends, one idle PostgreSQL connection per request until the server refuses clients. Each request closes its
# connection, whatever CONN_MAX_AGE the environment or DATABASE_URL asks for (that is for gunicorn: production.py).
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
