"""Settings shared by every environment; values that differ per machine come from the environment."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal.accounts",
    "portal",
    "portal.core.messaging",
    "products",
    "awards",
    "extension_projects",
    "portal.admin_site.PortalAdminConfig",  # django.contrib.admin, its lists in Vietnamese order
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "template_partials",
    "simple_history",
    "import_export",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
]

MIDDLEWARE = [
    "portal.core.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Axes must be last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'cnnt.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and a background worker share the file without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    # Random reads cost little more than sequential ones on SSD storage; PostgreSQL's default (4) makes the
    # planner skip the trigram index for short search terms. Per connection: needs no database privilege.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)}"
    )
# No persistent connections here (Django's CONN_MAX_AGE = 0: each request closes its connection): they pay off only
# where a server reuses its threads, gunicorn in production (settings/production.py). runserver starts a thread per
# request, so a kept connection would outlive its thread, one idle connection per request (settings/dev.py).

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Brute-force protection (django-axes): lock a username+IP pair after AXES_FAILURE_LIMIT failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Failures are counted under the normalised address: every spelling of one address shares one budget and one lock.
AXES_USERNAME_CALLABLE = "portal.accounts.normalise.axes_username"
AXES_CLIENT_IP_CALLABLE = "portal.accounts.normalise.client_address"  # the header RATELIMIT_IP_META_KEY names
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Attempts while locked do not restart the lock, and a password reset lifts it (portal.accounts.views).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "portal.staticfinders.FontPackageFinder",
]
# Stored files (uploads, certificate exports, thumbnails) go through Django's storage API, so that several app
# servers share them: FILE_STORAGE=filesystem (the default) keeps them under MEDIA_ROOT, a shared file system (NFS)
# when there are several servers; FILE_STORAGE=s3 keeps them in an S3-compatible object store (django-storages),
# private objects (no ACL, the bucket's own policy) that the portal reads and streams itself after its permission
# checks, never by the store's address. README, "Configuration" and "Deployment".
FILE_STORAGE = env("FILE_STORAGE", default="filesystem")
if FILE_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured(f"FILE_STORAGE must be 'filesystem' or 's3', not {FILE_STORAGE!r}.")
if FILE_STORAGE == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="path"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            # A file read from the store is kept in memory up to this size, then in a temporary file (an export's
            # ZIP may be hundreds of MB).
            "max_memory_size": env.int("AWS_S3_MAX_MEMORY_SIZE", default=5 * 1024 * 1024),
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# The admin's spreadsheet import keeps the uploaded file between its preview and its confirmation, which another
# app server may answer: in the shared storage (under django-import-export/), not in this server's /tmp.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded files are private: MEDIA_ROOT is never exposed by URL; portal views stream each file after a
# permission check. MEDIA_URL is still set because Django requires a value distinct from STATIC_URL.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/private-media/"
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng SPCNNT <no-reply@cnnt.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_VERIFICATION_MAX_AGE_DAYS = env.int("EMAIL_VERIFICATION_MAX_AGE_DAYS", default=3)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The portal's public address, printed in the QR code of every certificate (a background task has no request).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The public catalogue caches its counts and filter options this long (0 turns the cache off); a new recognition or
# OCOP rating shows at once whatever the value, a renamed product's count after this delay at most.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=120)
# How long a bulk certificate export (merged PDF + ZIP) stays available for download.
CERTIFICATE_EXPORT_KEEP_HOURS = env.int("CERTIFICATE_EXPORT_KEEP_HOURS", default=72)
# How far ahead a certificate may be dated (a ceremony planned ahead); a typo such as 2062 is refused.
CERTIFICATE_MAX_DAYS_AHEAD = env.int("CERTIFICATE_MAX_DAYS_AHEAD", default=366)
# OCOP ratings are valid this many months from their decision (then re-evaluated).
OCOP_VALID_MONTHS = env.int("OCOP_VALID_MONTHS", default=36)
# Public certificate verification, per client address (django-ratelimit, counted in the default cache).
VERIFY_RATE = env("VERIFY_RATE", default="30/m")
RATELIMIT_USE_CACHE = "default"
# django-ratelimit "officially" supports memcached and Redis only; production counts in the database cache
# (shared by every gunicorn worker; an occasional lost increment is harmless for a rate limit). One-process
# local runs and tests count in memory, which is per process: E003 is silenced only outside production.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]
# Behind a proxy, the header that carries the client's address (e.g. HTTP_X_REAL_IP), else REMOTE_ADDR.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# Signing certificates (PKCS#12, installed by a superuser in the admin) live apart from the uploads, in a private
# directory of their own; each one's password is read, at the moment it is needed, from the environment variable
# SIGNING_KEY_PASSWORD_<NAME> or the file SIGNING_SECRETS_DIR/<name> (README, "Digital signatures").
SIGNING_KEYS_ROOT = env.path("SIGNING_KEYS_ROOT", default=BASE_DIR / "var" / "signing" / "keys")
SIGNING_SECRETS_DIR = env.path("SIGNING_SECRETS_DIR", default=BASE_DIR / "var" / "signing" / "secrets")
# The largest PDF the public "check a certificate file" page accepts (a certificate is about 100 KB).
VERIFY_PDF_MAX_BYTES = env.int("VERIFY_PDF_MAX_BYTES", default=5 * 1024 * 1024)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Name shown in page titles and e-mails; the operator's own department name comes from the database.
PORTAL_NAME = env("PORTAL_NAME", default="Cổng sản phẩm công nghiệp nông thôn tiêu biểu")

# The department's identity (header and footer) is kept in each process's memory this long after a read.
SITE_IDENTITY_CACHE_SECONDS = env.int("SITE_IDENTITY_CACHE_SECONDS", default=60)

SIMPLE_HISTORY_REVERT_DISABLED = True

# /readyz: a worker must have shown a heartbeat this recently, and the file store keep this much free space.
READY_WORKER_SECONDS = env.int("READY_WORKER_SECONDS", default=120)
READY_MIN_FREE_MB = env.int("READY_MIN_FREE_MB", default=500)
# Requests slower than this many milliseconds are logged on `portal.slow` (0: off).
SLOW_REQUEST_MS = env.int("SLOW_REQUEST_MS", default=1000)
# "text" for people reading a terminal, "json" (one object per line, python-json-logger) for a log collector;
# production defaults to json. Every record carries the request id (portal.core.request_log).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.core.request_log.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
