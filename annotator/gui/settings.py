"""Where the desktop app keeps its settings and data.

Settings are an INI file (``QSettings``) in the user's config folder; the environment variable
``ANNOTATOR_CONFIG_DIR`` moves it (tests use a temporary folder). Projects the app makes itself
(the sample) live in the user data folder (platformdirs); ``ANNOTATOR_DATA_DIR`` overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.core.storage.postgres import is_url

ORG = "Annotator"
APP = "Annotator"
MAX_RECENT = 8


def settings() -> QSettings:
    """The app's settings store (INI format, user scope)."""
    override = os.environ.get("ANNOTATOR_CONFIG_DIR")
    if override:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, override)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG, APP)


def data_dir() -> Path:
    """The user data folder (created if missing)."""
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("annotator", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def string_list(value: object) -> list[str]:
    """A list read back from the settings, as strings: an INI file returns a one-item list as
    a plain string and an empty one as None; anything else not a list counts as empty."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []


def recent_projects() -> list[str]:
    return [v for v in string_list(settings().value("recent", [])) if v]


def remember_project(path: Path | str) -> None:
    """Put ``path`` first in the recent list and make it the last project (a server's
    address as shown, never with a password)."""
    p = str(path) if is_url(str(path)) else str(Path(path).resolve())
    recent = [r for r in recent_projects() if r != p]
    s = settings()
    s.setValue("recent", [p, *recent][:MAX_RECENT])
    s.setValue("last_project", p)


def last_project() -> Path | str | None:
    """The last project opened: a file's path, or a server's address (a string)."""
    value = settings().value("last_project", "")
    if not value:
        return None
    return str(value) if is_url(str(value)) else Path(str(value))
