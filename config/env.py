"""Small helpers to read settings from the environment (after healthchecks' settings).

Every secret may also come from a file: NAME_FILE=/run/secrets/name reads NAME from that file,
which is how container orchestrators hand secrets over.
"""

import os
from typing import overload

from django.core.exceptions import ImproperlyConfigured

TRUE_SPELLINGS = ("1", "true", "yes", "on")
FALSE_SPELLINGS = ("0", "false", "no", "off")


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    path = os.environ.get(f"{name}_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    """A yes/no setting. Unset or empty: `default`. Anything but the spellings above is refused:
    a typo such as SECURE_SSL_REDIRECT=ture must stop the start, not quietly mean "no"."""
    value = env(name)
    if value is None or value.strip() == "":
        return default
    spelling = value.strip().lower()
    if spelling in TRUE_SPELLINGS:
        return True
    if spelling in FALSE_SPELLINGS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a clear yes or no: use one of "
                               f"{', '.join(TRUE_SPELLINGS)} or {', '.join(FALSE_SPELLINGS)}.")


def envint(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def kept_secret(var_dir, name: str) -> str:
    """A random secret generated once and kept in VAR_DIR/secrets/NAME (mode 600), exactly as
    `bin/dev` keeps its own: a development start never runs on a value anyone else knows."""
    import secrets
    from pathlib import Path

    directory = Path(var_dir) / "secrets"
    path = directory / name
    try:
        value = path.read_text().strip()
        if value:
            return value
    except FileNotFoundError:
        pass
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    value = secrets.token_urlsafe(32)
    tmp = directory / f".{name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    try:
        os.link(tmp, path)  # first writer wins; a concurrent start reads what it wrote
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    return path.read_text().strip()
