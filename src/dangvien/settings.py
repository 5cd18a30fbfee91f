"""Settings, read from the environment so one code base serves the demo, CI and production.

DATABASE_URL        database (default: SQLite file in DANGVIEN_DATA_DIR)
DANGVIEN_DATA_DIR   folder of the SQLite file and the generated secret key (./dangvien-data)
DANGVIEN_SECRET_KEY secret key (default: generated once, kept beside the SQLite file)
DANGVIEN_DEBUG      "1" to turn debugging on (off by default)
DANGVIEN_ALLOWED_HOSTS comma-separated host names (default: 127.0.0.1,localhost)
DANGVIEN_STATIC_ROOT where `dangvien collectstatic` puts static files for production
DANGVIEN_REPLICA_DATABASE_URL a streaming replica of DATABASE_URL that the reports read (none)
DANGVIEN_LIST_CACHE_SECONDS how long a rendered member list is kept (600; 0 turns it off)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("DANGVIEN_DATA_DIR", Path.cwd() / "dangvien-data")).resolve()


def _env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes"}


def _secret_key() -> str:
    if key := os.environ.get("DANGVIEN_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("DANGVIEN_DEBUG")
ALLOWED_HOSTS = os.environ.get("DANGVIEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("DANGVIEN_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "dangvien.core",
    "dangvien.accounts",
    "dangvien.organizations",
    "dangvien.members",
    "dangvien.reports",
    "dangvien.supplements",
    "dangvien.assessments",
    "dangvien.admissions",
    "dangvien.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dangvien.urls"
WSGI_APPLICATION = "dangvien.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangvien.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'dangvien.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# A streaming replica of the primary, read by the reports (core/routers.py). Its test database
# is the primary's: tests see one database under both names.
if replica_url := os.environ.get("DANGVIEN_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(replica_url, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# PostgreSQL compiles large queries just in time: 40–60 ms a query on the 6-million-member
# benchmark set (bench/README.md), more than the indexed aggregates of the reports gain from it.
# The grouped queries of a province's admissions report sort 50,000 rows: with the default 4 MB
# of work memory they spill to disk. A sequential scan with a LIMIT (the member list reading
# its first 5,000 matches) starts at the table's first page, not wherever another scan happens
# to be: synchronised starts made the same page take 20 ms or 900 ms at random.
for _database in DATABASES.values():
    if "postgresql" in _database["ENGINE"]:
        _database.setdefault("OPTIONS", {})["options"] = (
            "-c jit=off -c work_mem=32MB -c synchronize_seqscans=off"
        )
DATABASE_ROUTERS = ["dangvien.core.routers.ReplicaRouter"]
# A rendered member list is cached under its scope's data version (members/views.py): a change
# makes a new key, so the time only bounds memory. The default cache is per process.
LIST_CACHE_SECONDS = int(os.environ.get("DANGVIEN_LIST_CACHE_SECONDS", "600"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions live in the database so any app process behind a load balancer can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_flag("DANGVIEN_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dangvien.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = os.environ.get("DANGVIEN_STATIC_ROOT") or None
# Without collectstatic the app serves its own assets (demo, tests); with it, from STATIC_ROOT.
WHITENOISE_USE_FINDERS = STATIC_ROOT is None

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "dangvien.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dangvien API",
    "DESCRIPTION": "REST API của dangvien: tổ chức đảng, tài khoản và phạm vi quản lý.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANGVIEN_LOG_LEVEL", "WARNING")},
}
