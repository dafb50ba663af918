"""The one place settings read the environment.

Every variable the hub reads is documented in docs/configuration.md; a value
that cannot be parsed stops start-up with a message naming the variable.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_UNSET = object()


def _raw(name: str, default: object) -> str | object:
    value = os.environ.get(name)
    if value is None:
        if default is _UNSET:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_str(name: str, default: object = _UNSET) -> str:
    """A string variable; without a default, a missing variable is an error."""
    return _raw(name, default)  # type: ignore[return-value]


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off."""
    value = _raw(name, None)
    if value is None:
        return default
    lowered = str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    """An integer variable."""
    value = _raw(name, None)
    if value is None:
        return default
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = _raw(name, None)
    if value is None:
        return list(default or [])
    return [item.strip() for item in str(value).split(",") if item.strip()]
