"""Django settings for Status Academy.

Only deploy knobs come from the environment; every one has a development default.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.email import smtp_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off the site needs a secret key "
            "from the environment, for example:\n"
            "  export DJANGO_SECRET_KEY=\"$(python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')\""
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    # First: its registration/ templates (log in, password change) replace the admin's.
    "quiz.progress",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "learn",
    "learn.lab",
    "quiz",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every response says how it may be cached: private and revalidated unless it says more.
    "config.middleware.CacheControlMiddleware",
    # Outside everything that may answer early (whitenoise's static files, the 400 for an
    # unknown host from CommonMiddleware), so every response gets CSP and X-Frame-Options.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.static.StaticFilesMiddleware",
    # Pages are gzipped here (static files come pre-compressed from whitenoise, above it).
    # BREACH: the only secret on a page is the CSRF token, masked afresh for every response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "quiz.progress.middleware.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "quiz.progress.middleware.LearnerTimezoneMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.RejectNulMiddleware",
    "config.middleware.MethodNotAllowedPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The client's address, for every limit and the lockout: REMOTE_ADDR, or behind N proxies of
# ours, the address N entries from the end of X-Forwarded-For (config.ratelimit.client_ip).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Log-in guessing (the site's and the admin's): after 5 failed passwords for one username from
# one address, that username is refused from that address with 429 and Retry-After for 15
# minutes. Other accounts, and the same account from elsewhere, are never locked out.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "config.ratelimit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "quiz.progress.accounts.locked_out"
AXES_USERNAME_CALLABLE = "quiz.progress.accounts.attempted_username"
AXES_VERBOSE = False

# Request-rate limits (config/ratelimit.py): "count/unit" (second, minute, hour, day) or "off".
# Past one, 429 with Retry-After. Generous: they stop scripts, not people.
ANSWER_RATE_LIMIT = os.environ.get("ANSWER_RATE_LIMIT", "120/minute")  # per learner
ANSWER_RATE_LIMIT_PER_IP = os.environ.get("ANSWER_RATE_LIMIT_PER_IP", "600/minute")
SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "10/hour")  # per client address
LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "30/minute")  # log-in POSTs, per address
# Writes that start something (a quiz, a review, a practice set) or mark a lesson done: per
# learner (or address, before there is one); and new anonymous learners, per address.
WRITE_RATE_LIMIT = os.environ.get("WRITE_RATE_LIMIT", "60/minute")
PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5/hour")  # per address
NEW_LEARNER_RATE_LIMIT = os.environ.get("NEW_LEARNER_RATE_LIMIT", "60/hour")
# The lab (learn/lab/): every lab request per client, and /lab/api/limited's own cap (refused
# or not); what that endpoint admits is the experiment: LAB_LIMITED a window.
LAB_RATE_LIMIT = os.environ.get("LAB_RATE_LIMIT", "120/minute")
LAB_LIMITED_CAP = os.environ.get("LAB_LIMITED_CAP", "600/minute")
LAB_LIMITED = 5  # requests a window per client on /lab/api/limited
LAB_DEMO_WINDOW = 10  # seconds: the backoff demo's window on /lab/api/limited
LAB_JOB_SECONDS = 3  # how long a lab job takes
LAB_GATEWAY_TIMEOUT = 1.0  # seconds the simulated gateway waits before its 504
LAB_MAX_BODY = 16 * 1024  # bytes: larger lab request bodies get 413
# Where the counters live: a small SQLite file every worker of this machine shares.
RATELIMIT_DB = Path(os.environ.get("RATELIMIT_DB", BASE_DIR / "ratelimit.sqlite3"))

# An anonymous learner's progress lives as long as their session: two weeks from their last
# visit (SlidingSessionMiddleware renews it once a day); `prune_learners` removes the rest.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

ROOT_URLCONF = "config.urls"

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
                "quiz.progress.context_processors.learning",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tuned for a web server: readers never wait for the writer (WAL), commits skip the
    # per-transaction fsync (NORMAL is safe with WAL), writers queue instead of failing
    # at once, and write transactions take the lock up front so they never deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"

# Password-reset links go by email: printed to the console unless EMAIL_URL names an SMTP
# server (smtp://user:password@host:587, smtps:// for TLS on connect, ?tls=1 for STARTTLS).
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Status Academy <noreply@localhost>")
if os.environ.get("EMAIL_URL"):
    globals().update(smtp_settings(os.environ["EMAIL_URL"]))
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "progress:dashboard"
LOGOUT_REDIRECT_URL = "home"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Content pages (home, lessons, the reference) for visitors without a session are public: a
# browser, a CDN or nginx may keep one this many seconds (learn/caching.py). An author's edit
# shows at once on the site itself, and everywhere within this time.
CONTENT_MAX_AGE = int(os.environ.get("CONTENT_MAX_AGE", "60"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "status-academy",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # What every process must see alike: sessions (read through it) and each learner's
    # version (quiz/progress/freshness.py). One machine on SQLite: a SQLite file of its own
    # beside the database, which every worker opens (config/sqlitecache.py). Otherwise Redis
    # (REDIS_URL) or, without it, nothing: sessions are then read from the database.
    "shared": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    # A learner's kept pages (quiz/progress/kept.py): this process's memory, whatever else is
    # configured. Their keys hold the learner's shared version, so no process shows one older
    # than the learner's last write; a learner whose requests land on another process or
    # machine costs that one a render, not a round trip per view for every learner.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "status-academy-kept",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# Several machines: with REDIS_URL (redis://host:6379/0, or unix:///path/redis.sock), the cache
# (content pages, the content version) and the rate-limit counters live in Redis, shared by
# every machine; while it is away, each process uses its memory and each machine its SQLite
# counters (config/cache.py). Sessions stay in the database, read through the shared cache,
# and django-axes' log-in records too: a Redis outage never logs anyone out or forgets a failed
# log-in.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "status-academy",
    }
    CACHES["shared"] = {
        "BACKEND": "config.cache.SharedRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "status-academy-shared",
        "TIMEOUT": None,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SHARED_CACHE_DB = Path(
        os.environ.get(
            "SHARED_CACHE_DB", Path(DATABASES["default"]["NAME"]).parent / "cache.sqlite3"
        )
    )
    CACHES["shared"] = {
        "BACKEND": "config.sqlitecache.SQLiteCache",
        "LOCATION": SHARED_CACHE_DB,
        "TIMEOUT": None,
    }
if not CACHES["shared"]["BACKEND"].endswith("DummyCache"):
    SESSION_ENGINE = "config.sessions"
    SESSION_CACHE_ALIAS = "shared"

CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Strict Content Security Policy: everything comes from this site, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Behind TLS: redirect to HTTPS, HSTS and secure cookies.
HTTPS = env_bool("DJANGO_HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
