"""Django settings.

Configured from the environment, with safe embedded defaults:

``DATABASE_URL``
    PostgreSQL in production (``postgres://user@host:5432/tinnhiem``); when
    unset, an embedded SQLite database in ``TINNHIEM_DATA_DIR``.
``TINNHIEM_DATA_DIR``
    where the SQLite database and the generated secret key live (default
    ``./var``).
``TINNHIEM_SECRET_KEY``, ``TINNHIEM_DEBUG``, ``TINNHIEM_ALLOWED_HOSTS``,
``TINNHIEM_STATIC_ROOT`` (for ``collectstatic`` in production).
``TINNHIEM_HTTPS``
    ``1`` when the site is served over HTTPS (it must be in production):
    cookies are sent over HTTPS only, HTTP is redirected and HSTS is sent.
``TINNHIEM_TRUST_PROXY``
    ``1`` behind a reverse proxy that sets ``X-Forwarded-Proto`` and
    ``X-Forwarded-For`` (and strips them from clients): HTTPS and the client
    address, for login throttling, are taken from those headers.
``TINNHIEM_REQUIRE_2FA``
    ``1``: administrators and committee heads must use a second factor
    (TOTP) to log in; off by default (any user may still enrol one).

The security choices are explained in ``docs/decisions/0013-hardening.md``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TINNHIEM_DATA_DIR", Path.cwd() / "var")).resolve()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


def _secret_key() -> str:
    key = os.environ.get("TINNHIEM_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key, encoding="ascii")
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
DEBUG = _flag("TINNHIEM_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("TINNHIEM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "tinnhiem.common",
    "tinnhiem.accounts",
    "tinnhiem.campaigns",
    "tinnhiem.conferences",
    "tinnhiem.counting",
    "tinnhiem.scanning",
    "tinnhiem.delivery",
    "tinnhiem.evote",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "tinnhiem.common.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tinnhiem.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tinnhiem.config.urls"
WSGI_APPLICATION = "tinnhiem.config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "tinnhiem.common.context_processors.security",
            ],
        },
    },
]

_SQLITE_PATH = DATA_DIR / "tinnhiem.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{_SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while a clerk writes; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Keep connections: closing the last connection to a WAL database
    # checkpoints the WAL and deletes its files, two fsyncs per request
    # (bench/RESULTS.md, "Saving a ballot on SQLite").
    DATABASES["default"]["CONN_MAX_AGE"] = 600

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "campaigns:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username + address before the
    # password is even checked (and needs the request: Django's login form passes it).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Argon2id for every new or changed password; the PBKDF2 hashers stay so that
# older hashes still verify, and are upgraded to Argon2 at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["tinnhiem.config.formats"]

# Electronic ballots: processes that check the proofs of cast ballots (one per
# core by default; 0 checks them in the request's own thread).
EVOTE_CHECK_PROCESSES = int(
    os.environ.get("TINNHIEM_EVOTE_CHECK_PROCESSES", "").strip() or (os.cpu_count() or 1)
)

STATIC_URL = "static/"
# Production: set TINNHIEM_STATIC_ROOT and run collectstatic; otherwise WhiteNoise
# serves the apps' static files directly (finders).
STATIC_ROOT = os.environ.get("TINNHIEM_STATIC_ROOT") or None
STORAGES = {
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# ---------------------------------------------------------------- hardening
# docs/decisions/0013-hardening.md explains each choice.

HTTPS = _flag("TINNHIEM_HTTPS")
TRUST_PROXY = _flag("TINNHIEM_TRUST_PROXY")

# Sessions: none once the browser is closed; on the server, 8 hours (a working
# day) after the session was last written (at login, seldom after).
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
CSRF_FAILURE_VIEW = "tinnhiem.common.views.csrf_failure"

# Headers (SecurityMiddleware, XFrameOptionsMiddleware; Permissions-Policy and
# Cache-Control from tinnhiem.common.middleware).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
if TRUST_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Content security policy (django-csp 4): nothing but this site's own files;
# no inline script or style, no eval, no plug-ins, not framed, forms post here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling (django-axes): 5 failed logins for one username from one
# address lock that pair out for 15 minutes; a successful login resets the count.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tinnhiem.accounts.views.lockout"
AXES_HTTP_RESPONSE_CODE = 429
if TRUST_PROXY:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = 1

# Second factor (django-otp, TOTP, RFC 6238). Optional for everyone; required
# for administrators and committee heads when TINNHIEM_REQUIRE_2FA=1.
TINNHIEM_REQUIRE_2FA = _flag("TINNHIEM_REQUIRE_2FA")
OTP_TOTP_ISSUER = "Tín Nhiệm"
OTP_TOTP_THROTTLE_FACTOR = 1

# Logging: never a request body, a query string or a result figure
# (tinnhiem.common.logfilter.ConfidentialFilter on every handler, including
# the access log of the development server, which Django configures itself).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"confidential": {"()": "tinnhiem.common.logfilter.ConfidentialFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["confidential"]},
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["confidential"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
