from pathlib import Path

import pytest

from annotator.core.errors import TagsetError
from annotator.core.tagset import default_tagset, load_tagset, tagset_from_dict


def test_default_tagset_has_the_four_schemes() -> None:
    ts = default_tagset()
    assert [lay.name for lay in ts.layers] == ["attribution", "hedging", "stance", "rhetoric",
                                               "article_stance", "genre"]
    assert [lay.name for lay in ts.layers if lay.document_level] == ["article_stance", "genre"]
    assert {lab.name for lab in ts.layer("attribution").labels} == {"source", "cue", "content"}
    polarity = next(a for a in ts.attributes_for("stance", "stance") if a.name == "polarity")
    assert polarity.values == ["favour", "against", "neutral"]
    keys = [lab.key for lay in ts.layers if not lay.document_level for lab in lay.labels]
    assert len(keys) == len(set(keys)) and all(keys)
    rel = ts.relation_type("attributed_to")
    assert rel.allows("attribution", "content", "attribution", "source")
    assert not rel.allows("hedging", "hedge", "attribution", "source")


def test_tagset_round_trips_through_toml(tmp_path: Path) -> None:
    ts = default_tagset()
    f = tmp_path / "t.toml"
    f.write_text(ts.to_toml(), encoding="utf-8")
    assert load_tagset(f) == ts


@pytest.mark.parametrize("data, message", [
    ({"layers": [{"labels": []}]}, "no name"),
    ({"layers": [{"name": "a", "labels": [{"name": "x", "key": "k"}, {"name": "y", "key": "k"}]}]},
     "key 'k'"),
    ({"layers": [{"name": "a", "attributes": [{"name": "p", "type": "colour"}]}]}, "unknown type"),
    ({"layers": [{"name": "a", "attributes": [{"name": "p", "type": "choice"}]}]}, "without values"),
])
def test_bad_tagsets_are_refused_with_a_reason(data: dict, message: str) -> None:
    with pytest.raises(TagsetError, match=message):
        tagset_from_dict(data)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text("name = [", encoding="utf-8")
    with pytest.raises(TagsetError, match="bad.toml"):
        load_tagset(f)


def test_ensure_label_adds_once() -> None:
    ts = default_tagset()
    assert ts.ensure_label("framing", "conflict")
    assert not ts.ensure_label("framing", "conflict")
    assert ts.label("framing", "conflict").color.startswith("#")
