"""CNAN settings: typed defaults, then the environment (through ``env``), then derived values.

Safe by default: DEBUG is off, and without DEBUG the secret key and allowed hosts are mandatory.
Production differs from a laptop only through ``CNAN_*`` variables (see ``.env.example``).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

import dj_database_url

from . import env

BASE_DIR = env.BASE_DIR
VAR_DIR = BASE_DIR / "var"

# --- Core -----------------------------------------------------------------------------------------
DEBUG = env.get_bool("CNAN_DEBUG", False)
if DEBUG:
    SECRET_KEY = env.get_str("CNAN_SECRET_KEY") or "cnan-debug-only-key-never-use-in-production-0123456789abcdef"
    ALLOWED_HOSTS = env.get_list("CNAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env.get_mandatory("CNAN_SECRET_KEY")
    ALLOWED_HOSTS = env.get_list("CNAN_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        ALLOWED_HOSTS = env.get_mandatory("CNAN_ALLOWED_HOSTS").split(",")

# Deployment profile (DESIGN.md §3): "unclassified" refuses records marked Mật or higher;
# "isolated" runs on an independent LAN, may hold classified records and applies level-4 controls.
CNAN_PROFILE = env.get_choice("CNAN_PROFILE", ("unclassified", "isolated"), "unclassified")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "template_partials",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_countries",
    # CNAN, in dependency order (see pyproject's import-linter contract)
    "cnan.common",
    "cnan.core",
    "cnan.accounts",
    "cnan.organizations",
    "cnan.catalogue",
    "cnan.directives",
    "cnan.research",
    "cnan.planning",
    "cnan.supply",
    "cnan.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cnan.core.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cnan.core.middleware.RequestContextMiddleware",
    "cnan.accounts.middleware.SecondFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cnan.urls"
WSGI_APPLICATION = "cnan.wsgi.application"
ASGI_APPLICATION = "cnan.asgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cnan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cnan.core.context_processors.portal",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "template_partials.templatetags.partials",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env.get_str("CNAN_DATABASE_URL") or "sqlite:///{}".format(VAR_DIR / "cnan.sqlite3")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env.get_int("CNAN_DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One file, several processes (web + worker): WAL and immediate write transactions avoid
    # "database is locked" on concurrent writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# --- Cache and sessions ---------------------------------------------------------------------------
REDIS_URL = env.get_str("CNAN_REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cnan"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Inactivity timeout: an idle session dies after SESSION_COOKIE_AGE seconds. Requests push the expiry
# forward, saving the session at most once per SESSION_REFRESH_SECONDS (core SessionRefreshMiddleware).
SESSION_COOKIE_AGE = env.get_int("CNAN_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_REFRESH_SECONDS = env.get_int("CNAN_SESSION_REFRESH_SECONDS", 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Authentication -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout after repeated failures (django-axes), released after the cool-off or by an administrator.
AXES_ENABLED = env.get_bool("CNAN_LOCKOUT_ENABLED", True)
AXES_FAILURE_LIMIT = env.get_int("CNAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("CNAN_LOCKOUT_MINUTES", 15))
# A user name is locked after repeated failures; so is one client (address + browser) spraying many names.
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

# Two-factor (TOTP): administrators always; everybody under the isolated profile.
OTP_TOTP_ISSUER = "CNAN"
CNAN_MFA_FOR_EVERYONE = CNAN_PROFILE == "isolated" or env.get_bool("CNAN_MFA_FOR_EVERYONE", False)

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cnan" / "locale"]
USE_I18N = True
TIME_ZONE = env.get_str("CNAN_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True
FORMAT_MODULE_PATH = ["cnan.formats"]
USE_THOUSAND_SEPARATOR = True
LANGUAGE_COOKIE_NAME = "cnan_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
COUNTRIES_FIRST = ["VN"]

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.get_str("CNAN_STATIC_ROOT") or str(VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "cnan" / "static"]
MEDIA_ROOT = env.get_str("CNAN_MEDIA_ROOT") or str(VAR_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env.get_bool("CNAN_STATIC_FROM_FINDERS", DEBUG)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Security headers -----------------------------------------------------------------------------
HTTPS = env.get_bool("CNAN_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.get_list("CNAN_CSRF_TRUSTED_ORIGINS")
if env.get_bool("CNAN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an unauthenticated call gets 401 with a "WWW-Authenticate: Token" challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cnan.core.api.permissions.ScopedModelPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cnan.core.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cnan.core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CNAN API",
    "DESCRIPTION": "Registry, planning, steering and measurement of Vietnam's security industry.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ClassificationEnum": "cnan.core.classification.Classification",
        "OrganizationKindEnum": "cnan.organizations.models.Organization.Kind",
        "LegalFormEnum": "cnan.organizations.models.Organization.LegalForm",
        "FacilityKindEnum": "cnan.organizations.models.Facility.Kind",
        "RestructuringKindEnum": "cnan.organizations.models.RestructuringEvent.Kind",
        "ParkStatusEnum": "cnan.organizations.models.IndustrialPark.Status",
        "ComplexRoleEnum": "cnan.organizations.models.ComplexMembership.Role",
        "DirectiveKindEnum": "cnan.directives.models.DirectiveDocument.Kind",
        "TaskAdjustmentKindEnum": "cnan.directives.models.TaskAdjustment.Kind",
        "StateEnum": "cnan.directives.models.ProgressReport.State",  # its name before supply's states
        "DemandPlanStateEnum": "cnan.supply.models.DemandPlan.State",
        "AllocationRunStateEnum": "cnan.supply.models.AllocationRun.State",
        "UnitEnum": "cnan.catalogue.models.Unit",  # its name before planning's indicator units
        "DirectionEnum": "cnan.research.models.TechTransfer.Direction",  # names before planning's
        "SourceEnum": "cnan.research.models.BudgetSource",
        "PlanKindEnum": "cnan.planning.models.Plan.Kind",
        "IndicatorUnitEnum": "cnan.planning.models.Indicator.Unit",
        "PeriodKindEnum": "cnan.planning.models.PeriodKind",
    },
}

# --- Jobs -----------------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.get_str("CNAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Exports of lists longer than this run as a background job with a progress page.
CNAN_EXPORT_SYNC_LIMIT = env.get_int("CNAN_EXPORT_SYNC_LIMIT", 2000)
# Imports (core.imports): the largest upload, and what its zip may unpack to, before anything is parsed.
CNAN_IMPORT_MAX_BYTES = env.get_int("CNAN_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
CNAN_IMPORT_MAX_UNPACKED_BYTES = env.get_int("CNAN_IMPORT_MAX_UNPACKED_BYTES", 10 * CNAN_IMPORT_MAX_BYTES)
CNAN_IMPORT_MAX_ROWS = env.get_int("CNAN_IMPORT_MAX_ROWS", 100_000)
CNAN_LIST_PAGE_SIZE = 25

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "cnan.core.context.RequestContextLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_context"]},
    },
    "root": {"handlers": ["console"], "level": env.get_str("CNAN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
