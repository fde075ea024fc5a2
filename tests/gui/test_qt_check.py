"""Before the first window: a missing system library of Qt's xcb plugin is named in one line
(with the Debian/Ubuntu packages to install) and the program exits 1 instead of aborting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.gui.qt_check import platform_problem, uses_xcb

ROOT = Path(__file__).resolve().parents[2]

# the loader fails for the named sonames, as on a desktop without those packages
FAKE_LOADER = """
import ctypes, sys
MISSING = {missing!r}
def fake(name, *args, **kwargs):
    if name in MISSING:
        raise OSError(name + ": cannot open shared object file: No such file or directory")
    return object()
ctypes.CDLL = fake
sys.argv = {argv!r}
"""


def run(missing: list[str], launch: str, argv: list[str], tmp_path: Path
        ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=":77", ANNOTATOR_CONFIG_DIR=str(tmp_path / "config"),
               ANNOTATOR_DATA_DIR=str(tmp_path / "data"))
    code = FAKE_LOADER.format(missing=missing, argv=argv) + launch + """
from PySide6.QtWidgets import QApplication
assert QApplication.instance() is None, "a QApplication was made"
"""
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, text=True,
                          capture_output=True, timeout=120)


LAUNCHES = {
    "main.py": "import runpy\ntry:\n    runpy.run_path('main.py', run_name='__main__')\n"
               "except SystemExit as e:\n    code = e.code\n",
    "annotator gui": "from annotator.cli import main\ntry:\n    code = main(['gui'])\n"
                     "except SystemExit as e:\n    code = e.code\n",
}


@pytest.mark.parametrize("launch", sorted(LAUNCHES))
def test_missing_xcb_library_is_one_line_and_exit_1(launch: str, tmp_path: Path) -> None:
    done = run(["libxcb-cursor.so.0"], LAUNCHES[launch] + "print('exit', code)\n",
               ["main.py"], tmp_path)
    assert done.returncode == 0, done.stderr  # the script itself ran to its end
    assert done.stdout.strip() == "exit 1"
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "libxcb-cursor0" in lines[0] and "install" in lines[0]
    assert "Traceback" not in done.stderr and not (tmp_path / "data").exists()


def test_every_missing_package_is_named() -> None:
    missing = {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"}

    def load(name: str) -> object:
        if name in missing:
            raise OSError(f"{name}: cannot open shared object file")
        return object()

    line = platform_problem({"DISPLAY": ":0"}, load)
    assert line is not None and "\n" not in line
    assert "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in line
    assert "apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in line


def test_a_library_only_the_plugin_names_is_reported(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    from annotator.gui import qt_check

    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    monkeypatch.setattr(qt_check, "xcb_plugin", lambda: plugin)

    def load(name: str) -> object:
        if name == str(plugin):
            raise OSError("libxcb-frobnicate.so.3: cannot open shared object file: No such file")
        return object()

    line = platform_problem({}, load)
    assert line is not None and "libxcb-frobnicate.so.3" in line
    assert platform_problem({}, lambda name: object()) is None  # everything loads: Qt starts


def test_other_platforms_are_not_probed() -> None:
    def load(name: str) -> object:
        raise AssertionError(f"probed {name}")

    assert platform_problem({"QT_QPA_PLATFORM": "offscreen"}, load) is None
    assert platform_problem({"QT_QPA_PLATFORM": "wayland"}, load) is None
    assert platform_problem({"WAYLAND_DISPLAY": "wayland-0"}, load) is None
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}) and uses_xcb({})
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb;offscreen"})
    assert not uses_xcb({}, platform="darwin") and not uses_xcb({}, platform="win32")
