"""Every SemEval-2023 Task 3 technique (and the PTC's 18) is a value of the default tagset's
``rhetoric:technique``: a 2023 file imports with no manual step and nothing reported missing.

The 23 names are those of the SemEval-2023 Task 3 README (subtask 3's label list); the article
text is our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project
from annotator.core.tagset import default_tagset
from annotator.formats._ptc_names import technique_value

SEMEVAL2023 = [
    "Appeal_to_Authority", "Appeal_to_Fear-Prejudice", "Appeal_to_Hypocrisy",
    "Appeal_to_Popularity", "Appeal_to_Time", "Appeal_to_Values", "Causal_Oversimplification",
    "Consequential_Oversimplification", "Conversation_Killer", "Doubt",
    "Exaggeration-Minimisation", "False_Dilemma-No_Choice", "Flag_Waving",
    "Guilt_by_Association", "Loaded_Language", "Name_Calling-Labeling",
    "Obfuscation-Vagueness-Confusion", "Questioning_the_Reputation", "Red_Herring",
    "Repetition", "Slogans", "Straw_Man", "Whataboutism"]
PTC18 = [
    "Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon", "Black-and-White_Fallacy",
    "Causal_Oversimplification", "Doubt", "Exaggeration,Minimisation", "Flag-Waving",
    "Loaded_Language", "Name_Calling,Labeling", "Obfuscation,Intentional_Vagueness,Confusion",
    "Red_Herring", "Reductio_ad_hitlerum", "Repetition", "Slogans", "Straw_Men",
    "Thought-terminating_Cliches", "Whataboutism"]
#: the list before SemEval-2023's techniques were added: kept first, in this order
EARLIER = [
    "loaded_language", "name_calling", "doubt", "exaggeration_minimisation", "appeal_to_fear",
    "appeal_to_authority", "black_and_white", "whataboutism", "flag_waving",
    "causal_oversimplification", "slogans", "thought_terminating_cliche", "repetition",
    "straw_man", "red_herring", "bandwagon"]


def listed() -> list[str]:
    attr = next(a for a in default_tagset().attributes_for("rhetoric", "technique")
                if a.name == "technique")
    return list(attr.values)


def test_the_tagset_lists_every_technique_of_both_tasks_and_keeps_the_earlier_order() -> None:
    values = listed()
    assert values[:len(EARLIER)] == EARLIER
    assert len(values) == 24 == len(set(values))
    assert {technique_value(n) for n in SEMEVAL2023} <= set(values)
    assert {technique_value(n) for n in PTC18} <= set(values)
    # 23 names, 23 different values: no two 2023 techniques fall together
    assert len({technique_value(n) for n in SEMEVAL2023}) == 23


def test_a_semeval2023_file_with_all_23_techniques_imports_with_nothing_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    words = [f"w{i:02d}" for i in range(len(SEMEVAL2023))]
    text = " ".join(words) + "\n"
    (folder / "article7001.txt").write_text(text, encoding="utf-8")
    rows = "".join(f"7001\t{name}\t{4 * i}\t{4 * i + 3}\n"
                   for i, name in enumerate(SEMEVAL2023))
    (folder / "train-labels-subtask-3-spans.txt").write_text(rows, encoding="utf-8")
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    capsys.readouterr()
    assert main(["import", str(proj), str(folder), "--format", "ptc"]) == 0
    err = capsys.readouterr().err
    assert "does not list" not in err and "added to the tagset" not in err
    with Project.open(proj, readonly=True) as p:
        [doc] = list(p.iter_corpus())
    got = {s.attributes["technique"] for s in doc.spans}
    assert len(doc.spans) == 23 and got <= set(listed())
    out = tmp_path / "out"
    assert main(["export", str(proj), "--format", "ptc", "-o", str(out)]) == 0
    # the 2023 spellings come back as they were given
    written = (out / "article7001.task-flc-tc.labels").read_text(encoding="utf-8")
    assert sorted(written.splitlines()) == sorted(rows.splitlines())
