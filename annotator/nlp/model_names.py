"""Which stored model a user writes and reads.

In a project file there is one model per recommender and layer: the file has one annotator.
On a shared project (PostgreSQL) each person trains on what they may read, so each stores their
own model, named ``<recommender>@<login>``; the server lets a coder write only models in their
own name and, in blind coding, read only their own (a model learned from another coder's spans
would tell their annotations). Reading looks for one's own model first, then for the shared one
(``<recommender>`` alone: put there by a curator or carried in from a file).
"""

from __future__ import annotations

from typing import Any

SEPARATOR = "@"


def own_name(project: Any, recommender: str) -> str:
    """The name under which this user stores ``recommender``'s model in ``project``."""
    if getattr(project, "on_server", False):
        return f"{recommender}{SEPARATOR}{project.annotator}"
    return recommender


def names_to_read(project: Any, recommender: str) -> tuple[str, ...]:
    """The names to look for, best first: one's own model, then the shared one."""
    own = own_name(project, recommender)
    return (own,) if own == recommender else (own, recommender)
