"""Settings for Concertation: configuration only, read from the environment.

Without any environment variable the project runs on embedded defaults (SQLite in var/, Celery
eager, e-mails written to var/mail/) so that a fresh checkout works with `make run`. Every variable
is documented in .env.example.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from concertation.env import (
    email_settings_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env_choice("DJANGO_ENV", "development", ("development", "test", "production"))
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
# Development only: DJANGO_ENV=production refuses to start with it (below).
_DEV_SECRET_KEY = "dev-only-secret-key-never-use-in-production"  # nosec B105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be false when DJANGO_ENV=production.")
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DJANGO_ENV=production."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "outbox",
    "audit",
    "accounts",
    "meetings",
    "meetings.calendar",
    "meetings.attendance",
    "meetings.followup",
    "meetings.vignettes",
    "meetings.situations",
    "meetings.load",
    "meetings.polls",
    "meetings.exchanges",
    "worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Everything needs a login unless a view says otherwise (@login_not_required).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireSecondFactorMiddleware",
]

ROOT_URLCONF = "concertation.urls"
WSGI_APPLICATION = "concertation.wsgi.application"
ASGI_APPLICATION = "concertation.asgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.signup",
                "accounts.context_processors.menu",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names a PostgreSQL server.
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
if DATABASE_URL and not DATABASE_URL.startswith("sqlite"):
    # Connections are kept for a minute and checked before each request's first query: after
    # PostgreSQL restarts, a process replaces its dead connection instead of failing once with
    # it. While the database is away, requests answer 503 (concertation/unavailable.py); a host
    # that drops packets costs a request connect_timeout seconds (?connect_timeout=N in the URL).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "concertation.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker and the shared cache (rate limits must hold across processes). While
# Redis is down the cache is skipped (concertation/cache.py) and e-mails wait in the outbox.
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss"))
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "concertation.cache.TolerantRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up fast when Redis is down: the outbox row stays queued and the sweeper
# dispatches it later, instead of a web request hanging for seconds per e-mail (or for the
# system's connect timeout when the Redis host drops packets rather than refusing them).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TIMEZONE = "Europe/Brussels"

# E-mail: .eml files in var/mail/ unless EMAIL_URL names an SMTP server.
EMAIL_URL = env_url("EMAIL_URL", ("smtp", "smtps"))
if EMAIL_URL:
    globals().update(email_settings_from_url(EMAIL_URL))
else:
    EMAIL_BACKEND = "concertation.eml_backend.EmlFileBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Concertation <noreply@concertation.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the login, verified before use; sign-up is closed unless turned on.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Failed logins: 5 per account and address together (AccountAdapter puts the address in the key),
# so that one person's typos do not lock out the colleagues behind the same hospital address, and
# 100 per address whatever the account, against password spraying.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "100/15m/ip,5/15m/key",
    "login": "30/m/ip",
    "reset_password": "5/h/ip,3/h/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Concertation] "
SIGNUP_OPEN = env_bool("SIGNUP_OPEN", default=False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Concertation"
# Network coordinators and superusers set up a second factor (TOTP) before using any page.
REQUIRE_MFA_FOR_COORDINATORS = env_bool("REQUIRE_MFA_FOR_COORDINATORS", default=PRODUCTION)
# Proxies in front of the application (a TLS proxy: 1): the client's address, which the login
# limits count by, is then read from X-Forwarded-For. 0 reads REMOTE_ADDR, the proxy's address
# behind one, and would make every person share the per-address limit.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts, styles and everything else come from the application itself: no inline script, style
# or event handler anywhere (static/js/app.js wires confirmations and printing), no third party.
# Images may be data: URLs (QR codes of two-factor setup). The calendar clients and e-mail
# readers do not load pages, so the feeds and e-mails are unaffected.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
    # WeasyPrint narrates every step of every PDF at INFO; only its warnings are worth reading.
    # urllib3 logs each request's path at DEBUG: for a poll's pasted calendar, the secret address.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
    },
}
# Occurrences of a series exist as rows this many days ahead (at least a year).
SERIES_HORIZON_DAYS = env_int("SERIES_HORIZON_DAYS", 400, minimum=366)
# Date polls read the calendar address a person pastes (meetings/polls/calendar_import.py); an
# address of the server's own networks (loopback, private, link-local) is refused, except where
# this is True (the tests' local calendar server).
POLLS_CALENDAR_ALLOW_PRIVATE_HOSTS = False
# Calendar answers (iTIP REPLY) go to this mailbox; IMAP_URL lets a periodic task read it.
INVITATION_REPLY_EMAIL = env_str("INVITATION_REPLY_EMAIL", "reponses@concertation.test")
# Mailbox of calendar replies (imap:// or imaps://user:password@host/INBOX). Unset: not read.
IMAP_URL = env_url("IMAP_URL", ("imap", "imaps"))
# Shared vignettes stay readable this many days after their meeting (a group may set 0 to 30).
VIGNETTE_RETENTION_DAYS = env_int("VIGNETTE_RETENTION_DAYS", 7, minimum=0)
# Notes and concertation reports of a closed situation are emptied this many months after it
# closed; dates and counts remain.
SITUATION_RETENTION_MONTHS = env_int("SITUATION_RETENTION_MONTHS", 12, minimum=1)
# The access log of confidential reads is kept this many days (two years), then forgotten.
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 730, minimum=30)
# Revoked calendar subscriptions stay listed (which device stopped, when) this many days, then go.
REVOKED_SUBSCRIPTION_RETENTION_DAYS = env_int("REVOKED_SUBSCRIPTION_RETENTION_DAYS", 30, minimum=0)
# Comments of participants' feedback are emptied this many months after the meeting; scores remain.
FEEDBACK_COMMENT_RETENTION_MONTHS = env_int("FEEDBACK_COMMENT_RETENTION_MONTHS", 12, minimum=1)
# Files kept out of the web root (signed consent forms): served only through the app's gate.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
# Several edits within this many seconds reach attendees as one update. Without Redis there is no
# beat to send delayed e-mails, so updates leave at once.
OUTBOX_UPDATE_DELAY_SECONDS = env_int("OUTBOX_UPDATE_DELAY_SECONDS", 180 if REDIS_URL else 0, minimum=0)
