"""Terminal output for the command line: JSON and text that survive any terminal encoding."""

from __future__ import annotations

import json
import sys


def stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding.startswith(("utf", "gb18030"))


def json_text(obj: object) -> str:
    """``obj`` as one line of JSON for stdout: non-ASCII kept when stdout is Unicode, else
    ``\\u`` escapes, so that ``--json`` output is valid JSON on any terminal."""
    return json.dumps(obj, ensure_ascii=not stdout_is_unicode())


def tolerant_stdout() -> None:
    """Characters the terminal cannot show (Arabic titles under ``LC_ALL=C``) are written as
    escapes instead of ending the command with a ``UnicodeEncodeError``."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None and not stdout_is_unicode():
        reconfigure(errors="backslashreplace")
