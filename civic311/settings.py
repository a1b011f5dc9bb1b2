"""The one settings module. Every knob is a ``CIVIC311_*`` environment variable (docs/configuration.md).

SQLite in a data folder outside the source tree is the embedded default, so a small city runs with
no setup; ``CIVIC311_DATABASE_URL`` switches to PostgreSQL for production.
"""

from __future__ import annotations

import os
from pathlib import Path

from civic311.lib.databases import database_settings
from civic311.lib.env import env_bool, env_int, env_list, env_str
from civic311.lib.secret_key import data_dir_secret_key
from civic311.lib.security import proxy_ssl_header, tile_source

BASE_DIR = Path(__file__).resolve().parent


def _default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "civic311"


DATA_DIR = Path(env_str("DATA_DIR") or _default_data_dir()).expanduser()

DEBUG = env_bool("DEBUG", False)

# Without CIVIC311_SECRET_KEY every process reads one key generated into the data folder (mode
# 0600), so all workers and restarts of one machine agree; a system check (civic311.W001) warns when
# app servers on several machines would each generate their own.
SECRET_KEY_FROM_ENV = bool(env_str("SECRET_KEY"))
SECRET_KEY = env_str("SECRET_KEY") or data_dir_secret_key(DATA_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "civic311.catalog",
    "civic311.service_requests",
    "civic311.open311",
    "civic311.notifications",
    "civic311.geo",
    "civic311.insights",
    "civic311.knowledge",
    "civic311.contacts",
    "civic311.portal",
    "civic311.ops",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a body: refuses one too large by its Content-Length (civic311.lib.uploads).
    "civic311.lib.uploads.BodySizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civic311.portal.sign_in.SignInThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "civic311.urls"
WSGI_APPLICATION = "civic311.wsgi.application"

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
                "civic311.portal.context.portal",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
# SQLite (the default, or a sqlite:/// URL) always gets the same settings: civic311.lib.databases.
DATABASES = {
    "default": database_settings(
        DATABASE_URL,
        default_sqlite_path=DATA_DIR / "civic311.sqlite3",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's username and password check behind the sign-in rate limits (CIVIC311_LOGIN_FAILURES_*).
AUTHENTICATION_BACKENDS = ["civic311.portal.sign_in.ThrottledModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff_home"
# Map tiles for staff and resident maps, e.g. https://tile.example.org/{z}/{x}/{y}.png; empty: no
# background tiles (the map still shows the city's data).
CIVIC311_TILE_URL = env_str("TILE_URL")
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# Background work: the tasks API with its database backend, so the embedded default needs no broker.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# The largest request body Django will read: Open311 posts are small forms; anything larger is refused
# with a precise Open311 error before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_BODY_BYTES", 64 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# File parts: a body larger than a form and one photo is refused unread, and a part past the photo
# limit is not stored further (civic311.lib.uploads).
FILE_UPLOAD_HANDLERS = [
    "civic311.lib.uploads.PhotoSizeCapHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Where residents reach this server: the links in emails (track a request, unsubscribe) start here.
CIVIC311_PUBLIC_URL = env_str("PUBLIC_URL", "http://127.0.0.1:8311").rstrip("/")

# The resident portal: phone numbers and hours on every page, the map's starting point, photos.
CIVIC311_PHONE = env_str("PHONE", "311")
CIVIC311_PHONE_OUTSIDE = env_str("PHONE_OUTSIDE", "(617) 555-0311")
CIVIC311_HOURS = env_str("HOURS", "Monday to Friday 7 am to 7 pm, Saturday 9 am to 1 pm")
CIVIC311_HOURS_ES = env_str("HOURS_ES", "De lunes a viernes de 7 am a 7 pm, sábados de 9 am a 1 pm")
CIVIC311_MAP_CENTER = env_str("MAP_CENTER", "42.3736,-71.1097")
CIVIC311_MAX_PHOTO_BYTES = env_int("MAX_PHOTO_BYTES", 8 * 1024 * 1024)
# Rate limits, counted in the database so every app server shares the count (0 turns one off):
# requests filed or followed through the portal per client, failed sign-ins per account and
# client and per client, and Open311 calls per API key, each per hour.
CIVIC311_SUBMISSIONS_PER_HOUR = env_int("SUBMISSIONS_PER_HOUR", 10)
CIVIC311_LOGIN_FAILURES_PER_HOUR = env_int("LOGIN_FAILURES_PER_HOUR", 10)
CIVIC311_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR = env_int("LOGIN_FAILURES_PER_ADDRESS_PER_HOUR", 50)
CIVIC311_API_KEY_CALLS_PER_HOUR = env_int("API_KEY_CALLS_PER_HOUR", 1000)
# Behind proxies: the header that carries the client's address (e.g. HTTP_X_FORWARDED_FOR) and how
# many proxies append to it; the entry that many from the right is the client (0 ignores the header).
CIVIC311_CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")
CIVIC311_PROXY_HOPS = env_int("PROXY_HOPS", 1)

# Open311 / city identity.
CIVIC311_CITY_NAME = env_str("CITY_NAME", "Sample City")
CIVIC311_JURISDICTION_ID = env_str("JURISDICTION_ID", "sample.civic311.org")
CIVIC311_CONTACT = env_str("CONTACT", "311 Customer Service, call 311 or (617) 555-0311")
CIVIC311_KEY_SERVICE = env_str("KEY_SERVICE", "Apply for an API key at the 311 office.")

# Email: SMTP when a host is set; otherwise each message is written as a file in the data folder,
# so the demo shows what it would send without a mail server.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "sent-mail"
DEFAULT_FROM_EMAIL = env_str("FROM_EMAIL", "311@sample.civic311.org")
# How each kind of message leaves (dotted paths to Transport classes).
CIVIC311_TRANSPORTS = {
    "email": "civic311.notifications.transports.DjangoEmailTransport",
    "sms": env_str("SMS_TRANSPORT", "civic311.notifications.transports.ConsoleSMSTransport"),
}

# Text messages through a Twilio-compatible API (CIVIC311_SMS_TRANSPORT =
# civic311.notifications.transports.TwilioSMSTransport); the console transport needs none of these.
CIVIC311_SMS = {
    "api_url": env_str("SMS_API_URL", "https://api.twilio.com"),
    "account_sid": env_str("SMS_ACCOUNT_SID"),
    "auth_token": env_str("SMS_AUTH_TOKEN"),
    "from": env_str("SMS_FROM"),
}

# HTTPS (docs/deployment.md has the production set; `civic311 check --deploy` is clean with it).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", False)
# A load balancer's health check may speak plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# Behind a proxy that ends TLS: the header it sets on HTTPS requests, e.g. "X-Forwarded-Proto: https".
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env_str("PROXY_SSL_HEADER"))

# The Content Security Policy (django-csp): scripts and styles only from our own static files, so
# markup that slips into a page cannot run; no inline scripts, handlers or style attributes anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the pictures Leaflet and Chart.js draw in memory; map tiles from their server.
        "img-src": ["'self'", "data:", *tile_source(CIVIC311_TILE_URL)],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [env_str("CSP_REPORT_URI")]} if env_str("CSP_REPORT_URI") else {}),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
