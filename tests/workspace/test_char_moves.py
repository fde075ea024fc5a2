"""Moving a boundary by one character moves by what a reader counts as one: a letter with its
combining accents, an emoji with its modifiers or joined sequence, a Windows line end."""

from __future__ import annotations

import pytest

from annotator.workspace.span_edits import Refused, move_boundary

E_ACUTE = "e\u0301"  # e + combining acute
FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"  # man ZWJ woman ZWJ girl
THUMB = "\U0001F44D\U0001F3FD"  # thumbs up, medium skin tone
HEART = "\u2764\ufe0f"  # heart + variation selector


@pytest.mark.parametrize("cluster", [E_ACUTE, "a\u0308\u0323", FAMILY, THUMB, HEART, "\r\n"])
def test_one_character_is_the_whole_cluster(cluster: str) -> None:
    text = f"ab {cluster} cd"
    at = 3
    after = at + len(cluster)
    # the end, right over the cluster, then back
    assert move_boundary(text, ((0, at),), "end", +1, "char") == ((0, after),)
    assert move_boundary(text, ((0, after),), "end", -1, "char") == ((0, at),)
    # the start, left over the cluster, then back
    assert move_boundary(text, ((after, len(text)),), "start", -1, "char") == ((at, len(text)),)
    assert move_boundary(text, ((at, len(text)),), "start", +1, "char") == ((after, len(text)),)


def test_plain_characters_move_by_one_and_the_edges_still_refuse() -> None:
    text = "plain text"
    assert move_boundary(text, ((2, 5),), "end", +1, "char") == ((2, 6),)
    assert move_boundary(text, ((2, 5),), "start", -1, "char") == ((1, 5),)
    with pytest.raises(Refused):
        move_boundary(text, ((0, 5),), "start", -1, "char")
    with pytest.raises(Refused):
        move_boundary(text, ((5, len(text)),), "end", +1, "char")
    with pytest.raises(Refused):  # the accent with its letter is the span's last character
        move_boundary(f"x{E_ACUTE}y", ((1, 3),), "start", +1, "char")
