"""Settings for Sektorovergang, read from environment variables (see config/env.py).

Unset DATABASE_URL means an embedded SQLite file; unset REDIS_URL means Celery runs tasks eagerly.
"""

from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from .env import env_bool, env_int, env_list, env_str, local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
# A deployment sets SECRET_KEY. Elsewhere (make run, the commands on a workstation) a random key is made once
# and kept in a file readable only by its owner, so no known key is ever used.
SECRET_KEY = env_str("SECRET_KEY") or local_secret_key(BASE_DIR / ".secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "guardian",
    "axes",
    "csp",
    "coordination",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Right after the session: an unchanged board poll needs nothing else (issue 15).
    "coordination.middleware.BoardPollMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "coordination.middleware.LoginRequiredMiddleware",
    "coordination.middleware.IdleTimeoutMiddleware",
    "coordination.middleware.NoStoreMiddleware",
    "coordination.access.AccessLogMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# "default" is Django's own default; "board-rows" keeps the board's rendered rows
# (coordination/board_fragments.py) in each process's memory: a row is a few kB, a board up to ~2,000 rows.
# In memory on purpose: the rows hold citizens' names and a shared cache would keep them in one more place.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "board-rows": {
        "BACKEND": "coordination.process_cache.ProcessMemoryCache",
        "LOCATION": "board-rows",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": env_int("BOARD_ROW_CACHE_ENTRIES", 10000)},
    },
    # A user's whole board while nothing on it changed (coordination/board_live.py).
    "board-live": {
        "BACKEND": "coordination.process_cache.ProcessMemoryCache",
        "LOCATION": "board-live",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": env_int("BOARD_LIVE_CACHE_ENTRIES", 2000)},
    },
    # What every page asks of its user (permissions, grants, compiled queries), under the user's
    # generations (coordination/board_state.py's kept_for_user): ids and names, in each process.
    "user-kept": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "user-kept",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": env_int("USER_KEPT_CACHE_ENTRIES", 20000)},
    },
}

# Form widgets rendered through Jinja2 (Django's own widget templates for it): the board's filter and "Ny
# indlæggelse" forms render ~100 <option>s, each an {% include %} in the Django engine (issue 15).
FORM_RENDERER = "coordination.forms.renderer.FormRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "coordination.context_processors.inbox",
                "coordination.views.session.session_timeout",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short OLTP queries: PostgreSQL's JIT compiles the board's subqueries for longer (20-40 ms) than they
    # run (under 1 ms), on every request. Measured in bench/board.py (issue 15).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a login while the username/address is locked out after failed attempts.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend reading the user with their organisation, and permissions in one query.
    "coordination.auth.StaffBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"

# Failed-login throttling (django-axes): after 5 failures for a username from one address, 15 minutes' pause.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Long or NUL-carrying usernames fit axes' column (coordination/login_throttle.py).
AXES_USERNAME_CALLABLE = "coordination.login_throttle.username"

# A session ends after a shift of inactivity (default 8 hours): coordination.middleware.IdleTimeoutMiddleware
# (polls do not count as activity). The cookie itself lasts at most two shifts.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_HOURS", 8) * 3600
SESSION_COOKIE_AGE = 2 * SESSION_IDLE_SECONDS
# The page warns this long before the idle timeout, with a button that extends the session (issue 14).
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_MINUTES", 5) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Secure cookies and HTTPS everywhere except on a developer's loopback (DEBUG).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Content security policy (django-csp): only our own scripts, styles, fonts and images.
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
LOGIN_REDIRECT_URL = "board"
LOGOUT_REDIRECT_URL = "login"

# Store UTC, think in Copenhagen.
LANGUAGE_CODE = "da"
# Each language named in itself, as a language switcher shows it.
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and time format across the screens: "1. dec. 2026", "22:14" (config/formats/<language>).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# Celery: eager (in-process) unless a Redis broker is configured.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# The boards' generation numbers (coordination/board_state.py; numbers only, no health data): shared by
# every web process and worker through Redis, in the process's memory where there is no Redis (one process).
CACHES["board-state"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "board-state",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }
)
CACHES["board-state"]["TIMEOUT"] = 30 * 24 * 3600  # a generation forgotten is a fresh random one
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that is down must not hang a user's action: few, quick publish retries, then the caller logs it.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# An unacknowledged task (its worker died) is handed out again after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # How often a worker looks for such tasks (kombu's defaults: every 10 s, scanning every 10th time).
    "unacked_restore_interval": env_int("CELERY_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": 1 if env_str("CELERY_RESTORE_INTERVAL") else 10,
}
# Beat's own schedule, in UTC. Wall-clock moments (deadlines, Monday morning) are computed in Python.
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {
        "task": "coordination.sweep_reminders",
        "schedule": timedelta(seconds=env_int("SWEEP_INTERVAL_SECONDS", 60)),
        "options": {"expires": 55},
    },
    "weekly-overview": {"task": "coordination.weekly_overview", "schedule": timedelta(minutes=15)},
    # Pending e-mails (queued while Redis or the mail server was down) are retried on a schedule too, not
    # only when a new e-mail triggers delivery (issue 11).
    "deliver-emails": {
        "task": "coordination.deliver_emails",
        "schedule": timedelta(seconds=env_int("MAIL_RETRY_SECONDS", 300)),
        "options": {"expires": 240},
    },
    # Every 15 minutes; the task itself writes the downtime boards once per shift change in Copenhagen time.
    "write-downtime-boards": {"task": "coordination.tasks.write_downtime_boards", "schedule": 15 * 60},
}
REMINDER_CATCH_UP_DAYS = 3
WEEKLY_OVERVIEW_TIME = time(7, 0)  # Monday, Copenhagen time (R-MON-FB)

# Folder for the downtime boards written at every shift change (seed 000 "Tekniske nedbrud"), set by an
# administrator; unset, none are written.
DOWNTIME_BOARD_DIR = env_str("DOWNTIME_BOARD_DIR") or None

# E-mail for reminders (to users who opted in) and the weekly overview. Without EMAIL_HOST: printed.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)  # SMTP with STARTTLS unless told otherwise
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sektorovergang@localhost")
# The address e-mails link to (the admission's page): e-mails name no citizen, only this link.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# The full CPR number never reaches the application's logs: a filter masks it in every record.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_cpr": {"()": "coordination.logging.MaskCprFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_cpr"]},
        # runserver's request lines (`?q=<CPR>` of the board's and the admin's searches), masked too.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_cpr"],
        },
    },
    "loggers": {"django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
