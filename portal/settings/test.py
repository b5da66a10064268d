"""Fast, deterministic settings for the test suite."""

from .base import *  # noqa: F403  (settings modules extend the base namespace)
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 (test only)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inside the request or test that enqueues them; TASKS_BACKEND=django_tasks_db.DatabaseBackend lets a
# real `manage.py run_worker` (the worker tests' subprocesses) pick them up from the test database instead.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")
# Not per test like MEDIA_ROOT: the demo data set is loaded once into a template, its test signing keys with it.
SIGNING_KEYS_ROOT = env.path("TEST_SIGNING_KEYS_ROOT", default=BASE_DIR / "var" / "test-signing" / "keys")
SIGNING_SECRETS_DIR = env.path("TEST_SIGNING_SECRETS_DIR", default=BASE_DIR / "var" / "test-signing" / "secrets")
ALLOWED_HOSTS = ["*"]
AXES_FAILURE_LIMIT = 3
# The live server serves static files straight from the finders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each test starts with the site identity in memory (tests/conftest.py): no test outlives it.
SITE_IDENTITY_CACHE_SECONDS = 3600
