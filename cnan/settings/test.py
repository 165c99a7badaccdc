"""Settings for the test suite: SQLite in memory unless CNAN_DATABASE_URL is set (then PostgreSQL)."""

import os

os.environ.setdefault("CNAN_SECRET_KEY", "cnan-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("CNAN_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("CNAN_HTTPS", "0")
os.environ.setdefault("CNAN_ENV_FILE", "/nonexistent/cnan-test.env")

from .base import *  # noqa: E402,F403
from .base import DATABASES, env  # noqa: E402

if not env.get_str("CNAN_DATABASE_URL"):
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "OPTIONS": {"init_command": "PRAGMA foreign_keys=ON;"},
        "TEST": {"NAME": ":memory:"},
    }

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cnan-test"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
