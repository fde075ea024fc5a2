"""Shared set-up for GUI tests: Qt runs offscreen so they pass without a display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
