"""Settings, read from the environment so one code base serves the demo, CI and production.

DATABASE_URL        database (default: SQLite file in DANGVIEN_DATA_DIR)
DANGVIEN_DATA_DIR   folder of the SQLite file and the generated secret key (./dangvien-data)
DANGVIEN_SECRET_KEY secret key (default: generated once, kept beside the SQLite file)
DANGVIEN_DEBUG      "1" to turn debugging on (off by default)
DANGVIEN_ALLOWED_HOSTS comma-separated host names (default: 127.0.0.1,localhost)
DANGVIEN_STATIC_ROOT where `dangvien collectstatic` puts static files for production
DANGVIEN_REPLICA_DATABASE_URL a streaming replica of DATABASE_URL that the reports read (none)
DANGVIEN_LIST_CACHE_SECONDS how long a rendered member list is kept (600; 0 turns it off)
DANGVIEN_REPORT_CACHE_SECONDS how long a report shown on its page is kept (600; 0 turns it off)
DANGVIEN_LOGIN_ATTEMPTS failed sign-ins per account and per address before a lockout (5)
DANGVIEN_LOCKOUT_MINUTES how long such a lockout lasts (15)
DANGVIEN_PROXY_COUNT reverse proxies in front of the app that append to X-Forwarded-For (0)
DANGVIEN_PASSWORD_MIN_LENGTH shortest password accepted (10)
DANGVIEN_REQUIRE_2FA "0" lets administrators and officers sign in without a TOTP code (on)
DANGVIEN_IDLE_MINUTES minutes without a request after which a session ends (30)
DANGVIEN_HSTS_SECONDS Strict-Transport-Security max-age, only once served over HTTPS (0: none)
DANGVIEN_BEHIND_TLS_PROXY "1" trusts X-Forwarded-Proto: https from the TLS proxy in front (off)
DANGVIEN_UPLOAD_MAX_MB largest spreadsheet accepted by the web import, in MB (20)
DANGVIEN_DOCUMENT_MAX_MB largest meeting document (PDF, Word, image) accepted, in MB (10)
DANGVIEN_UPLOAD_KEEP_HOURS hours an upload not imported keeps what was read from it (24)
DANGVIEN_IMPORT_MAX_UNZIPPED_MB largest decompressed size of an .xlsx, in MB (300)
DANGVIEN_IMPORT_MAX_RATIO largest compression ratio of a part of an .xlsx (100)
DANGVIEN_IMPORT_MAX_ENTRIES most parts in an .xlsx archive (1000)
DANGVIEN_IMPORT_MAX_ROWS most data rows in one imported file (300000)
DANGVIEN_IMPORT_MAX_CELL_CHARS longest cell of an imported file, in characters (1000)
DANGVIEN_IMPORT_MAX_PART_MB largest part of an .xlsx read whole (workbook, styles...), in MB (4)
DANGVIEN_IMPORT_MAX_ROW_CELLS most cells in one row of an .xlsx sheet (16384)
"""

import datetime
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
        DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # personal data: owner only
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
    # Time-based one-time codes (TOTP) as the second sign-in step (accounts/two_factor/).
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Counts failed sign-ins per account and per address and locks them out for a while.
    "axes",
    "dangvien.core",
    "dangvien.accounts",
    "dangvien.organizations",
    "dangvien.members",
    "dangvien.reports",
    "dangvien.supplements",
    "dangvien.assessments",
    "dangvien.admissions",
    "dangvien.transfers",
    "dangvien.discipline",
    "dangvien.inspections",
    "dangvien.meetings",
    "dangvien.programmes",
    "dangvien.residence",
    "dangvien.training",
    "dangvien.dues",
    "dangvien.committees",
    "dangvien.screening",
    "dangvien.awards",
    "dangvien.badges",
    "dangvien.api",
    # Above the apps: the pages composing all of them, and the demo loading every app's data.
    "dangvien.site",
    "dangvien.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every page (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Whether the session passed the second step; an idle session ends; no page before the step.
    "django_otp.middleware.OTPMiddleware",
    "dangvien.accounts.idle_timeout.IdleTimeoutMiddleware",
    "dangvien.accounts.two_factor.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A user whose password an administrator reset must change it before anything else.
    "dangvien.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Turns a sign-in refused by the lockout into the Vietnamese lockout page (last, per axes).
    "axes.middleware.AxesMiddleware",
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
                "dangvien.site.context_processors.navigation",
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
    # Personal data: the SQLite file is created readable by its owner only (0600; SQLite gives
    # its journal the same mode), never with the umask's 0644.
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    if str(_sqlite_file) != ":memory:" and not _sqlite_file.exists():
        _sqlite_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(_sqlite_file, os.O_WRONLY | os.O_CREAT, 0o600))
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
# So is a report shown on its page, under its organisation's data version (reports/caching.py).
REPORT_CACHE_SECONDS = int(os.environ.get("DANGVIEN_REPORT_CACHE_SECONDS", "600"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The password policy (accounts/validators.py), in Vietnamese: length, similarity to the
# account, Django's and a Vietnamese list of common passwords, all digits, the last five reused.
PASSWORD_MIN_LENGTH = int(os.environ.get("DANGVIEN_PASSWORD_MIN_LENGTH", "10"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dangvien.accounts.validators.SimilarToAccountValidator"},
    {
        "NAME": "dangvien.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "dangvien.accounts.validators.CommonPasswordValidator"},
    {"NAME": "dangvien.accounts.validators.NumericPasswordValidator"},
    {"NAME": "dangvien.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"keep": 5}},
]
# The lockout backend comes first: a locked account or address is refused before any password
# is checked, on the web login and on the API's Basic authentication alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock per account and, separately, per address (an attacker spraying one password over many
# accounts from one address is stopped as well as one guessing one account from many).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("DANGVIEN_LOGIN_ATTEMPTS", "5"))
LOCKOUT_MINUTES = int(os.environ.get("DANGVIEN_LOCKOUT_MINUTES", "15"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOCKOUT_MINUTES)
# The lockout lasts LOCKOUT_MINUTES from the last counted failure; attempts made while locked
# do not extend it, so the page's "thử lại sau 15 phút" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the counters: it would also wipe the address's, letting an attacker
# with one valid account reset the address limit between guesses.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "dangvien.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Behind nginx every request comes from 127.0.0.1: count the address the proxies appended.
PROXY_COUNT = int(os.environ.get("DANGVIEN_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "dangvien.accounts.lockout.client_ip"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions live in the database so any app process behind a load balancer can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_flag("DANGVIEN_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The session cookie goes when the browser closes, and a session idle this long ends
# (accounts/idle_timeout.py).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
DANGVIEN_IDLE_MINUTES = int(os.environ.get("DANGVIEN_IDLE_MINUTES", "30"))
# Administrators and officers must sign in with a TOTP code (accounts/two_factor/); `dangvien
# demo` serves with it off. Users of other roles may turn it on for themselves.
DANGVIEN_REQUIRE_2FA = _env_flag("DANGVIEN_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "dangvien"

# HTTPS (docs/deployment.md): HSTS once every visitor comes over TLS; behind a TLS proxy,
# trust its X-Forwarded-Proto so request.is_secure() and HSTS see the visitor's scheme.
SECURE_HSTS_SECONDS = int(os.environ.get("DANGVIEN_HSTS_SECONDS", "0"))
if _env_flag("DANGVIEN_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the app's own scripts, styles and images (QR codes of the two-factor setup are data:
# images); no inline script or style, no framing by other sites.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

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
# Uploads above this spool to a temporary file instead of a worker's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Spreadsheet uploads over DANGVIEN_UPLOAD_MAX_MB are cut off while they arrive (core/uploads.py).
UPLOAD_MAX_MB = int(os.environ.get("DANGVIEN_UPLOAD_MAX_MB", "20"))
# Meeting documents over DANGVIEN_DOCUMENT_MAX_MB are refused (core/attachments.py).
DOCUMENT_MAX_MB = int(os.environ.get("DANGVIEN_DOCUMENT_MAX_MB", "10"))
# Uploads not imported within this many hours lose what was read from them (core/uploads.py).
UPLOAD_KEEP_HOURS = int(os.environ.get("DANGVIEN_UPLOAD_KEEP_HOURS", "24"))
FILE_UPLOAD_HANDLERS = [
    "dangvien.core.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# What one import reads at most, so a crafted file cannot exhaust memory (core/spreadsheets.py).
IMPORT_READ_LIMITS = {
    "unzipped_bytes": int(os.environ.get("DANGVIEN_IMPORT_MAX_UNZIPPED_MB", "300")) * 2**20,
    "ratio": int(os.environ.get("DANGVIEN_IMPORT_MAX_RATIO", "100")),
    "entries": int(os.environ.get("DANGVIEN_IMPORT_MAX_ENTRIES", "1000")),
    "rows": int(os.environ.get("DANGVIEN_IMPORT_MAX_ROWS", "300000")),
    "cell_chars": int(os.environ.get("DANGVIEN_IMPORT_MAX_CELL_CHARS", "1000")),
    "part_bytes": int(os.environ.get("DANGVIEN_IMPORT_MAX_PART_MB", "4")) * 2**20,
    "row_cells": int(os.environ.get("DANGVIEN_IMPORT_MAX_ROW_CELLS", "16384")),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Basic authentication that answers a locked account with 429 and a Vietnamese message,
        # and refuses accounts with two-factor sign-in (accounts/two_factor/authentication.py).
        "dangvien.accounts.two_factor.authentication.BasicAuthentication",
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
    # The schema maps every endpoint and field: only for signed-in users.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation documents its error answers (400/401/403/404) too (api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dangvien.api.schema.document_errors",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANGVIEN_LOG_LEVEL", "WARNING")},
}
