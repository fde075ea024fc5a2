"""String matching: what the user tagged, suggested at its other occurrences."""

from __future__ import annotations

from annotator.nlp.string_match import StringMatcher
from annotator.nlp.training import TrainDoc


def at(text: str, phrase: str, layer: str, label: str, nth: int = 0) -> tuple[str, str, int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(phrase, i + 1)
    return (layer, label, i, i + len(phrase))


def test_suggests_other_occurrences_with_the_most_frequent_label() -> None:
    a = "Sources close to the talks said the White House was wary."
    b = "The white house said nothing; sources close to the talks disagreed."
    docs = [TrainDoc("a", a, (at(a, "Sources close to the talks", "attribution", "source"),
                              at(a, "White House", "stance", "target"))),
            TrainDoc("b", b, (at(b, "white house", "stance", "target"),)),
            TrainDoc("c", "White House", (("stance", "other", 0, 11),))]
    m = StringMatcher()
    m.train(docs)
    text = "Later, sources close to the talks said the WHITE HOUSE relented. Whitehouse no."
    got = {(s.layer, s.label, text[s.start:s.end], round(s.score, 3)) for s in m.predict(text)}
    assert ("attribution", "source", "sources close to the talks", 1.0) in got
    assert ("stance", "target", "WHITE HOUSE", round(2 / 3, 3)) in got
    assert all("Whitehouse" not in t for _, _, t, _ in got)  # whole words only
    assert all(s.recommender == "string" and s.training_size == 3 for s in m.predict(text))


def test_case_sensitive_option_and_existing_spans() -> None:
    a = "Apple fell; an apple a day."
    docs = [TrainDoc("a", a, (at(a, "Apple", "org", "ORG"),))]
    m = StringMatcher(case_sensitive=True)
    m.train(docs)
    text = "apple and Apple"
    assert [text[s.start:s.end] for s in m.predict(text)] == ["Apple"]
    assert StringMatcher().predict(text) == []  # untrained: nothing
    m2 = StringMatcher()
    m2.train(docs)
    assert [text[s.start:s.end] for s in m2.predict(text)] == ["apple", "Apple"]
    # an existing span of the layer is never crossed
    assert [text[s.start:s.end] for s in m2.predict(text, [("org", "ORG", 8, 15)])] == ["apple"]


def test_longest_match_wins_and_rejections_lower_the_score() -> None:
    a = "New York City and New York."
    docs = [TrainDoc("a", a, (at(a, "New York City", "place", "LOC"), at(a, "New York", "place",
                                                                         "LOC", 1)),
                     rejected=(("place", "LOC", 0, 8),))]
    m = StringMatcher()
    m.train(docs)
    text = "In New York City, not New York."
    got = [(text[s.start:s.end], s.score) for s in m.predict(text)]
    assert got == [("New York City", 1.0), ("New York", 0.5)]
