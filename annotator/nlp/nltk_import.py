"""Importing nltk safely from several threads at once.

``from nltk.tokenize.punkt import X`` takes the import lock of ``nltk.tokenize.punkt`` (and of
``nltk.tokenize``) *before* it initialises the ``nltk`` package, whose ``__init__`` imports
those same submodules. Two threads doing this at once (the window's tokenizer warm-up beside a
review job or a suggestion worker) deadlock on each other's locks; Python breaks the deadlock by
handing one of them the half-initialised package, which then fails ("partially initialized
module 'nltk' has no attribute 'data'"). Importing the package whole first, holding no
submodule's lock, makes every other thread simply wait for it. All of Annotator's nltk imports
go through :func:`nltk_module`.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def nltk_module(name: str) -> ModuleType:
    """The nltk (sub)module ``name`` (e.g. ``"nltk.tokenize.punkt"``), imported after the
    package itself."""
    import nltk  # noqa: F401 - the package first, holding no submodule's lock (see above)

    return importlib.import_module(name)
