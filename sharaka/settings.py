"""Django settings for Sharaka. Everything that differs between machines comes from
the environment (see README.md, "Configuration")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from sharaka.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SHARAKA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    # A missing key in production must fail loudly rather than fall back to a known one.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local demo).")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Mail links point here. By default the address ``make run`` serves (its PORT).
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_str('PORT', '8000')}")

# The project's apps, each after the ones it builds on: an app may import (and use the
# templates, template tags and URLs of) only the apps listed before it; the ones after
# plug in through registries (sharaka/tests/test_architecture.py checks it).
PROJECT_APPS = [
    "apps.core",
    "apps.accounts",
    "apps.plans",
    "apps.tracking",
    "apps.committees",
    "apps.translations",
    "apps.reports",
    "apps.cocreation",
    "apps.exchange",
    "apps.search",
    "apps.people",
]

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "sharaka.admin_site.SharakaAdminConfig",  # django.contrib.admin, open to the secretariat
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "ninja",  # serves Swagger UI from our own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "allauth",  # citizens' accounts: sign-up, e-mail verification (apps/accounts/adapter.py)
    "allauth.account",
    "allauth.mfa",  # two-factor sign-in: authenticator codes and recovery codes
    "allauth.usersessions",  # a person's sessions, listed and ended
    "corsheaders",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    # First, so that even an error answer of the API carries the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy: sharaka/csp.py.
    "sharaka.csp.SharakaCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous public pages from the shared cache, after the language and the CSRF
    # cookie are known, before anything reads the session (apps/core/public_cache.py).
    "apps.core.public_cache.PublicCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Sessions end after SHARAKA_SESSION_IDLE_MINUTES without a request.
    "apps.accounts.middleware.IdleSessionMiddleware",
    # Two-factor sign-in, required by role (apps/people/two_factor.py).
    "apps.people.middleware.TwoFactorRequiredMiddleware",
]

ROOT_URLCONF = "sharaka.urls"
WSGI_APPLICATION = "sharaka.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sharaka.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        # A kept connection is checked before a request reuses it, so that a restarted
        # or failed-over database costs one reconnection, not one error page.
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share the file without locking out reads.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the pages' queries are short, and compiling one cost about
    # 100 ms on the dashboard at 500 commitments (measured on PostgreSQL 15). Per connection,
    # so that it holds whatever the server's configuration.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, also taking an e-mail address where a username is asked:
    # citizens sign in with the address they registered with, staff with their username
    # (allauth's), loading a session's person with their access in one query.
    "apps.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# An action's refusal (apps.core.errors.report_error) shows as Bootstrap's red alert.
MESSAGE_TAGS = {40: "danger"}  # messages.ERROR

# Languages: Arabic first, and Arabic is the fallback for untranslated content.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ar"
# Untranslated content reads in the first language it is written in: Arabic, French,
# English (the rule of apps.core.content.in_language). A plan imported from OGP's or
# Canada's data is in English or French only; its API answers and e-mails in Arabic
# show that text rather than nothing.
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ar", "fr", "en")
USE_I18N = True
# The member's Arabic, for month names (apps/core/dates.py): "ar-MA" prints Morocco's
# ماي، يوليوز، شتنبر، نونبر، دجنبر; anything else the standard مايو، يوليو، سبتمبر، نوفمبر، ديسمبر.
SHARAKA_ARABIC_VARIANT = env_str("SHARAKA_ARABIC_VARIANT", "ar")
TIME_ZONE = env_str("TIME_ZONE", "Africa/Casablanca")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The public cache (apps/core/public_cache.py): anonymous public pages and API
    # answers, shared by every web process. Without Redis, files under the var
    # directory: shared by the processes of one machine, no database query on a hit,
    # and no write to the database that the cache's own invalidation would count.
    "public": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "public"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    # Signed-in sessions (SESSION_ENGINE below): read here on each request, written
    # through to the database, which stays the record (the list of a person's sessions,
    # ending them). Shared by every web process like the public cache, so a session
    # ended in one process is ended in all.
    "sessions": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "sessions"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
if env_str("REDIS_URL", ""):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL", ""),
    }
    CACHES["public"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL", ""),
        "KEY_PREFIX": "public",
    }
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL", ""),
        "KEY_PREFIX": "sessions",
    }
# Anonymous public pages served from the public cache; how long an entry is kept at
# most (an entry is never stale: every committed change makes a new key).
SHARAKA_PUBLIC_CACHE = env_bool("SHARAKA_PUBLIC_CACHE", True)
SHARAKA_PUBLIC_CACHE_SECONDS = env_int("SHARAKA_PUBLIC_CACHE_SECONDS", 3600)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = VAR_DIR / "mail"  # used by the file backend of the demo
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Sharaka <no-reply@localhost>")
# Operations (backups, faults): a mail task whose SMTP server refuses or cannot be
# reached enqueues itself again after each of these delays in seconds, then fails
# (apps/core/mail.py). Default: after 1 min, 5 min, 30 min and 2 h.
SHARAKA_MAIL_RETRY_SECONDS = [
    int(delay) for delay in env_list("SHARAKA_MAIL_RETRY_SECONDS", ["60", "300", "1800", "7200"])
]

# Documents laid out by the workers (apps/core/renderings.py): a failed layout is tried
# again after each of these delays in seconds, then marked failed (the waiting page says
# so). Default: 3 attempts in all, after 10 s and after 1 min.
SHARAKA_RENDERING_RETRY_SECONDS = [
    int(delay) for delay in env_list("SHARAKA_RENDERING_RETRY_SECONDS", ["10", "60"])
]

# Task workers (``manage.py worker``, apps/core/worker.py): each beats every
# SHARAKA_WORKER_HEARTBEAT_SECONDS; a task left running by a worker silent for longer
# than SHARAKA_WORKER_LEASE_SECONDS runs again, up to SHARAKA_TASK_ATTEMPTS times in all.
SHARAKA_WORKER_HEARTBEAT_SECONDS = env_int("SHARAKA_WORKER_HEARTBEAT_SECONDS", 10)
SHARAKA_WORKER_LEASE_SECONDS = env_int("SHARAKA_WORKER_LEASE_SECONDS", 60)
SHARAKA_TASK_ATTEMPTS = env_int("SHARAKA_TASK_ATTEMPTS", 3)

# Accounts (django-allauth): the one sign-in for everyone (``login``, which takes a
# username or an e-mail address), sign-out, password reset by mail and change, the
# citizens' sign-up with an e-mail address verified by a link (an account created by
# the secretariat needs none: apps/accounts/stages.py), two-factor sign-in, the session
# list, and the rate limits (a wrong one-time code counts as a failed sign-in).
ACCOUNT_ADAPTER = "apps.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "apps.accounts.forms.LoginForm"}
# No "remember me": a session ends when the browser closes, or after
# SHARAKA_SESSION_IDLE_MINUTES without a request (apps/accounts/middleware.py).
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Sharaka] "
ACCOUNT_RATE_LIMITS = {
    "signup": env_str("SHARAKA_SIGNUP_RATE", "10/h/ip"),
    "confirm_email": "1/3m/key",
    # login_failed, reset_password, reset_password_from_key: with the lockout, below.
}
# Changing one's e-mail address (audit, issue 12): on allauth's e-mail page, after the
# password (reauthentication), the new address confirmed by a link before it replaces
# the old one; an address of another account is refused (apps/accounts/forms.py).
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_FORMS = {**ACCOUNT_FORMS, "add_email": "apps.accounts.forms.AddEmailForm"}

# Co-creation: proposals, comments and supports per account and per address
# (django-ratelimit; "count/period", period s, m, h or d).
SHARAKA_COCREATION_RATES = {
    "proposal": (
        env_str("SHARAKA_PROPOSAL_RATE", "10/h"),
        env_str("SHARAKA_PROPOSAL_RATE_IP", "50/h"),
    ),
    "comment": (
        env_str("SHARAKA_COMMENT_RATE", "60/h"),
        env_str("SHARAKA_COMMENT_RATE_IP", "300/h"),
    ),
    "support": (
        env_str("SHARAKA_SUPPORT_RATE", "300/h"),
        env_str("SHARAKA_SUPPORT_RATE_IP", "3000/h"),
    ),
}

# Two-factor sign-in (allauth.mfa: authenticator app codes and recovery codes) is
# required of administrators, the secretariat and committee chairs; off with
# SHARAKA_REQUIRE_TWO_FACTOR=0. The demo's accounts are exempt (apps/accounts/demo.py).
SHARAKA_REQUIRE_TWO_FACTOR = env_bool("SHARAKA_REQUIRE_TWO_FACTOR", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sharaka"
# A session ends after this many minutes without a request (and when the browser
# closes). Its expiry is pushed back at most once every SESSION_REFRESH_SECONDS, so a
# signed-in page costs no database write (apps/accounts/middleware.py).
SHARAKA_SESSION_IDLE_MINUTES = env_int("SHARAKA_SESSION_IDLE_MINUTES", 60)
SESSION_COOKIE_AGE = SHARAKA_SESSION_IDLE_MINUTES * 60
SHARAKA_SESSION_REFRESH_SECONDS = min(300, SESSION_COOKIE_AGE // 4)

# Password guessing (django-axes; apps/accounts/lockout.py, docs/operations.md). One
# rule for the sign-in: SHARAKA_LOGIN_FAILURE_LIMIT failed attempts on one account (from
# any address) or from one address (on any account) within SHARAKA_LOGIN_COOLOFF_MINUTES
# lock that account or address for the cool-off, the right password included: the
# lockout page (429) in the person's language. A wrong two-factor code counts as a failed
# attempt. Attempts are kept in the database, shared by every process. The visitor's
# address is the one of every rate limit: REMOTE_ADDR, or RATELIMIT_IP_META_KEY's header
# behind a reverse proxy. The secretariat unlocks on /people/lockouts/ (audited).
SHARAKA_LOGIN_FAILURE_LIMIT = env_int("SHARAKA_LOGIN_FAILURE_LIMIT", 5)
SHARAKA_LOGIN_COOLOFF_MINUTES = env_int("SHARAKA_LOGIN_COOLOFF_MINUTES", 15)
INSTALLED_APPS.append("axes")
# Last, as axes' documentation asks: it turns a refused sign-in into the lockout page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# First, as axes' documentation asks: axes' AxesStandaloneBackend, which refuses a
# locked-out sign-in before any check (and lets a check without a request through).
AUTHENTICATION_BACKENDS.insert(0, "apps.accounts.lockout.LockoutBackend")
AXES_FAILURE_LIMIT = SHARAKA_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SHARAKA_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The cool-off counts from the failure that reached the limit: attempts while locked
# out are refused without pushing the end of the lock further.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful sign-in does not wipe the failures: it would wipe its address's too, so
# one's own account would open the way to guessing others' passwords.
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.login_key"
AXES_CLIENT_IP_CALLABLE = "apps.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
# Unlocking is the secretariat's page, audited, not the administration's tables; and
# successful sign-ins are not logged again (allauth.usersessions lists the sessions).
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True
# The two-factor code step refuses a locked-out account too.
MFA_FORMS = {"authenticate": "apps.accounts.forms.TwoFactorCodeForm"}
# allauth's own failed-sign-in limit (kept in the cache) is a backstop at twice the
# lockout's numbers: the lockout always answers first. Password reset mails: a few per
# hour per target address, more per visitor's address (an office behind one address).
ACCOUNT_RATE_LIMITS.update(
    {
        "login_failed": (
            f"{4 * SHARAKA_LOGIN_FAILURE_LIMIT}/m/ip,"
            f"{2 * SHARAKA_LOGIN_FAILURE_LIMIT}/{SHARAKA_LOGIN_COOLOFF_MINUTES}m/key"
        ),
        "reset_password": env_str("SHARAKA_PASSWORD_RESET_RATE", "20/h/ip,3/h/key"),
        "reset_password_from_key": "20/h/ip",
    }
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Security headers and HTTPS (issue 12; README "Configuration" and "Deploying on
# PostgreSQL with workers", docs/operations.md "Security headers"). Development
# defaults: plain http://127.0.0.1 for ``make run``; production sets the variables the
# README lists, and ``manage.py check --deploy`` then passes without a warning
# (sharaka/tests/test_deploy_check.py).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a reverse proxy that terminates TLS: the header (as in request.META) by which it
# says the visitor came over HTTPS, e.g. HTTP_X_FORWARDED_PROTO (value "https"). Only set
# it when the proxy always overwrites that header.
if env_str("SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (env_str("SECURE_PROXY_SSL_HEADER", ""), "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# HSTS: 0 (off) by default; production: 31536000 (a year), once HTTPS works everywhere.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = env_str("SECURE_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = env_str("SECURE_CROSS_ORIGIN_OPENER_POLICY", "same-origin")
# No browser feature the platform does not use (sharaka/csp.py sends it).
SHARAKA_PERMISSIONS_POLICY = env_str(
    "SHARAKA_PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()",
)
# Content-Security-Policy (django-csp 4): our own files only, no inline script or style,
# no eval, the Django admin and Swagger UI included. The authenticator's QR code is a
# data: image. The one exception, a report's standalone HTML file, has its own policy on
# its view (apps/reports/views.py); see sharaka/csp.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if env_str("SHARAKA_CSP_REPORT_URI", ""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env_str("SHARAKA_CSP_REPORT_URI", "")]
# --- end of the security headers
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploads above this size go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

# CORS (django-cors-headers): any web page may read the public API, /api/ only, with
# GET (and the browsers' OPTIONS preflight), never with the visitor's cookies. Pages and
# every other method stay same-origin; the write API is for scripts with a token.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False

# The licence of the open data and of the API's answers (an SPDX identifier), stated in
# the API's OpenAPI document.
SHARAKA_OPEN_DATA_LICENSE = env_str("SHARAKA_OPEN_DATA_LICENSE", "CC-BY-4.0")

# Percent → OGP completion level: a commitment reaches a level when its progress is at
# least the threshold. Below "limited" it is "not started". Override with
# SHARAKA_LIMITED_FROM, SHARAKA_SUBSTANTIAL_FROM, SHARAKA_COMPLETE_FROM.
SHARAKA_COMPLETION_THRESHOLDS = {
    "limited": env_int("SHARAKA_LIMITED_FROM", 1),
    "substantial": env_int("SHARAKA_SUBSTANTIAL_FROM", 50),
    "complete": env_int("SHARAKA_COMPLETE_FROM", 100),
}

# Invitations (apps/people): how many days the link of an invitation mail stays valid
# (a resend starts the count again).
SHARAKA_INVITATION_DAYS = env_int("SHARAKA_INVITATION_DAYS", 14)

# Progress tracking (apps/tracking): staleness, reminders, evidence.
SHARAKA_STALE_AFTER_DAYS = env_int("SHARAKA_STALE_AFTER_DAYS", 60)
# Whom the privacy page names for questions about personal data (an address; empty: the
# page names the secretariat without one).
SHARAKA_PRIVACY_CONTACT = env_str("SHARAKA_PRIVACY_CONTACT", "")
SHARAKA_REMINDER_DAYS_BEFORE_MEETING = env_int("SHARAKA_REMINDER_DAYS_BEFORE_MEETING", 14)
SHARAKA_REMINDER_INTERVAL_DAYS = env_int("SHARAKA_REMINDER_INTERVAL_DAYS", 7)
SHARAKA_EVIDENCE_MAX_BYTES = env_int("SHARAKA_EVIDENCE_MAX_MB", 10) * 1024 * 1024
# The largest file the import pages accept (a 100,000-row plan sheet is about 30 MB).
SHARAKA_IMPORT_MAX_BYTES = env_int("SHARAKA_IMPORT_MAX_MB", 50) * 1024 * 1024

# Uploaded files (issue 12, apps/core/files.py): served only by views that check who may
# see them, never at MEDIA_URL. SHARAKA_SENDFILE_HEADER lets the web server send them
# ("X-Accel-Redirect" for nginx, whose internal location SHARAKA_SENDFILE_PREFIX maps to
# MEDIA_ROOT; "X-Sendfile" for Apache or lighttpd); empty, Django streams them. Quotas:
# files and megabytes per progress update (or proposal), megabytes per person.
SHARAKA_SENDFILE_HEADER = env_str("SHARAKA_SENDFILE_HEADER", "")
SHARAKA_SENDFILE_PREFIX = env_str("SHARAKA_SENDFILE_PREFIX", "/protected-media/")
SHARAKA_MAX_FILES_PER_UPDATE = env_int("SHARAKA_MAX_FILES_PER_UPDATE", 5)
SHARAKA_MAX_UPDATE_UPLOAD_MB = env_int("SHARAKA_MAX_UPDATE_UPLOAD_MB", 25)
SHARAKA_USER_UPLOAD_QUOTA_MB = env_int("SHARAKA_USER_UPLOAD_QUOTA_MB", 500)
# More files than any form takes are refused before they reach the disk (a 400).
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# The public consultation on a report (apps/reports): comments accepted per network
# address and per e-mail address (django-ratelimit's "count/period"). The counters live
# in the default cache: local memory counts per process, so production sets REDIS_URL to
# share them between processes. django_ratelimit is not an installed app: only its
# functions are used (its system check, which refuses the local-memory cache, never
# runs). Behind a reverse proxy, RATELIMIT_IP_META_KEY names the header holding the
# visitor's address.
SHARAKA_CONSULTATION_RATE = env_str("SHARAKA_CONSULTATION_RATE", "5/h")
# Requests to follow a plan or a commitment by e-mail (apps/tracking/follow.py), per
# address given and per network address, counted the same way.
SHARAKA_FOLLOW_RATE = env_str("SHARAKA_FOLLOW_RATE", "5/h")
SHARAKA_FOLLOW_RATE_IP = env_str("SHARAKA_FOLLOW_RATE_IP", "30/h")
# The write API (apps/accounts/tokens.py): requests per account, counted in the same
# cache; past it, a 429.
SHARAKA_API_WRITE_RATE = env_str("SHARAKA_API_WRITE_RATE", "120/m")
if env_str("RATELIMIT_IP_META_KEY", ""):
    RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# A machine-translation backend that *suggests* a translation in the editor (a dotted
# path to a class with ``suggest(text, source, target) -> str``); empty: none, the
# default, so nothing leaves the server. A suggestion is never saved by itself: the
# translator writes the translation, someone else reviews it (apps/translations).
SHARAKA_TRANSLATION_BACKEND = env_str("SHARAKA_TRANSLATION_BACKEND", "")
