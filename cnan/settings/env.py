"""The one place that reads the environment.

Every setting CNAN takes from outside is a ``CNAN_*`` variable read here. A variable may also be
given in the file named by ``CNAN_ENV_FILE`` (default ``var/cnan.env``, written by ``make demo``);
the real environment wins over the file. A secret may be given as ``<NAME>_FILE`` pointing at a file
that holds it. Every variable is listed in ``.env.example``.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


_env_file = Path(os.environ.get("CNAN_ENV_FILE", BASE_DIR / "var" / "cnan.env"))
_FILE_VALUES = _read_env_file(_env_file)


def get(name: str, default: str | None = None) -> str | None:
    """Return a variable from the environment, then the env file, then ``<name>_FILE``, then default."""
    if name in os.environ:
        return os.environ[name]
    if name in _FILE_VALUES:
        return _FILE_VALUES[name]
    file_name = os.environ.get(name + "_FILE") or _FILE_VALUES.get(name + "_FILE")
    if file_name:
        path = Path(file_name)
        if not path.is_absolute():
            path = BASE_DIR / path
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at {path}, which cannot be read: {exc}") from exc
    return default


def get_str(name: str, default: str = "") -> str:
    value = get(name)
    return default if value is None else value


def get_mandatory(name: str) -> str:
    value = get(name)
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set (in the environment, in var/cnan.env or as {name}_FILE); see .env.example."
        )
    return value


def get_bool(name: str, default: bool) -> bool:
    value = get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def get_int(name: str, default: int) -> int:
    value = get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from exc


def get_list(name: str, default: list[str] | None = None) -> list[str]:
    value = get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def get_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = get_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value
