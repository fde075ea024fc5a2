"""The lexicon fixes of the opinion-piece trial: each of these was offered wrongly or missed."""

from __future__ import annotations

from annotator.nlp.suggest import suggest_spans

PIECE = ("The deal was not fully confirmed, and a source said the talks had stalled. "
         "As I explained last week, I think the odds are poor; in my opinion there is "
         "no chance at all of a deal, and it is difficult to confirm anything.")


def found(text: str, existing=()) -> set[tuple[str, str, str]]:  # noqa: ANN001
    return {(s.layer, s.label, text[s.start:s.end]) for s in suggest_spans(text, None, existing)}


def test_cue_inside_a_hedge_is_not_offered() -> None:
    got = found(PIECE)
    assert ("hedging", "hedge", "not fully confirmed") in got
    assert not any(layer == "attribution" and t == "confirmed" for layer, _, t in got)


def test_the_cue_does_not_swallow_its_source() -> None:
    got = found(PIECE)
    assert ("attribution", "cue", "said") in got
    assert not any("source" in t for _, _, t in got)


def test_the_authors_own_i_explained_is_not_attribution() -> None:
    got = found(PIECE)
    assert not any(layer == "attribution" and t == "explained" for layer, _, t in got)
    # someone else explaining still is
    assert ("attribution", "cue", "explained") in found("The minister explained the plan.")
    assert not found("I have said so before.") & {("attribution", "cue", "said")}


def test_missed_hedges_are_covered() -> None:
    got = found(PIECE)
    for phrase in ("I think", "in my opinion", "difficult to confirm"):
        assert ("hedging", "hedge", phrase) in got


def test_no_two_suggestions_for_the_same_words() -> None:
    text = "There is no chance at all of a deal."
    boosters = [t for layer, label, t in found(text) if label == "booster"]
    assert boosters == ["no chance at all"]
    # the user tagged "no chance": the longer entry is not offered across that span
    i = text.index("no chance")
    assert not any(layer == "hedging" for layer, _, _ in
                   found(text, [("hedging", "booster", i, i + len("no chance"))]))


def test_suggestion_inside_an_existing_span_of_its_layer_is_not_offered() -> None:
    text = "Officials said it seems that the plan failed."
    i = text.index("it seems")
    got = found(text, [("hedging", "hedge", i, len(text))])
    assert not any(layer == "hedging" for layer, _, _ in got)
    assert ("attribution", "cue", "said") in got
    # another layer's span does not hide hedges
    assert ("hedging", "hedge", "it seems that") in found(text, [("stance", "stance", i, i + 5)])


def test_same_words_may_be_cue_and_hedge() -> None:
    got = found("According to officials, the plan failed.")
    assert ("attribution", "cue", "According to") in got
    assert ("hedging", "hedge", "According to") in got
