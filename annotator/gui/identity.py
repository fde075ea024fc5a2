"""Who is annotating: the user's name, asked once and remembered, shown in both windows.

The name is a user setting (``annotator/name``). :func:`user_name` returns it, asking first when
it was never given (:func:`ask_name`: a small dialog prefilled with the last name, or the login
name the first time). A new project made in the window is created with it; a project whose file
has no annotator gets it when opened for writing; the review window adjudicates under it (the
gold file's "adjudicated by"). GUI thread only.
"""

from __future__ import annotations

import getpass

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from annotator.gui import settings

KEY = "annotator/name"


def login_name() -> str:
    """The login name, as a first guess ("" for root: that is nobody's name)."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):
        return ""
    return "" if name == "root" else name


def remembered() -> str:
    """The name last given ("" when never)."""
    return str(settings.settings().value(KEY, "") or "").strip()


def remember(name: str) -> None:
    settings.settings().setValue(KEY, name.strip())


def ask_name(parent: QWidget | None, *, why: str = "") -> str | None:
    """Ask for the annotator's name, prefilled with the last one; stores and returns it (None
    when cancelled or left empty)."""
    prompt = (why + "\n\n" if why else "") + "Your name as an annotator (saved with every span " \
        "you make and in gold files you adjudicate):"
    name, ok = QInputDialog.getText(parent, "Annotator name", prompt, QLineEdit.EchoMode.Normal,
                                    remembered() or login_name())
    name = name.strip()
    if not ok or not name:
        return None
    remember(name)
    return name


def user_name(parent: QWidget | None, *, why: str = "") -> str | None:
    """The remembered name, asked for the first time it is needed (None when cancelled)."""
    return remembered() or ask_name(parent, why=why)
