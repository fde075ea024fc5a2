"""Before the first window: can Qt's X11 platform plugin (xcb) load on this Linux desktop?

On a fresh desktop Qt aborts (core dump) when system libraries of its xcb plugin are missing,
and its own hint names the wrong package. :func:`platform_problem` tries to load each library
the plugin needs (then the plugin itself) with :mod:`ctypes`, without creating any Qt object,
and returns ONE line naming the Debian/Ubuntu packages to install, or None when Qt can start
(or another platform is used: ``QT_QPA_PLATFORM=offscreen``/``wayland``, a Wayland session,
not Linux). No Qt import here.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# what the xcb plugin (and libQt6XcbQpa) link against → the Debian/Ubuntu package holding it
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxcb.so.1", "libxcb1"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libX11.so.6", "libx11-6"),
    ("libGL.so.1", "libgl1"),
)
PACKAGE = dict(XCB_LIBRARIES)

Loader = Callable[[str], object]


def uses_xcb(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will start with its xcb plugin: Linux, and ``QT_QPA_PLATFORM`` unset (outside
    a Wayland session) or naming xcb first."""
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if not chosen:
        return not env.get("WAYLAND_DISPLAY")
    return chosen.split(";")[0].split(":")[0].strip() == "xcb"


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin file, if this install has one."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def missing_libraries(load: Loader | None = None, plugin: Path | None = None) -> list[str]:
    """Sonames that cannot be loaded: the known ones, else the one the plugin itself names."""
    load = load or ctypes.CDLL  # looked up now, so that a test may replace ctypes.CDLL
    missing = []
    for soname, _package in XCB_LIBRARIES:
        try:
            load(soname)
        except OSError:
            missing.append(soname)
    if missing or plugin is None:
        return missing
    try:
        load(str(plugin))
    except OSError as exc:
        found = re.search(r"([\w.+-]+\.so[\w.]*): cannot open shared object", str(exc))
        return [found.group(1) if found else f"{plugin.name} ({exc})"]
    return []


def platform_problem(env: Mapping[str, str] | None = None, load: Loader | None = None
                     ) -> str | None:
    """One line for people when Qt's window cannot start here, else None."""
    env = os.environ if env is None else env
    if not uses_xcb(env):
        return None
    missing = missing_libraries(load, xcb_plugin())
    if not missing:
        return None
    packages = [PACKAGE.get(m, m) for m in missing]
    return ("Qt cannot start its window (X11 platform plugin xcb): install the system packages "
            f"{' '.join(packages)} (Debian/Ubuntu: sudo apt-get install {' '.join(packages)})")


def check_or_exit_code() -> int | None:
    """Print :func:`platform_problem` on stderr and return 1, or None when Qt can start."""
    problem = platform_problem()
    if problem is None:
        return None
    print(problem, file=sys.stderr)
    return 1
