"""File menu: review a colleague's file, restore from a backup."""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotator.core.project import Project
from annotator.core.storage.backup import make_backup
from annotator.gui import file_menu


def test_review_menu_opens_colleague_file_read_only(window, qtbot, project_path: Path,  # noqa: ANN001
                                                    tmp_path: Path) -> None:
    other = tmp_path / "bob.annot"
    with Project.open(project_path, readonly=True) as p:
        corpus = list(p.iter_corpus())
    corpus[0].spans = corpus[0].spans[:5]  # bob tagged less
    with Project.create(other, annotator="bob") as p:
        p.import_documents(corpus)
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    with qtbot.waitSignal(window.jobDone, timeout=20000) as blocker:  # computed on a worker
        assert file_menu.open_review_of(window, other) is not None
    assert blocker.args == ["finished"]
    review = window.review_windows[-1]
    assert review.isVisible()
    kinds = [it.kind for it in review._items()]
    assert kinds.count("only_a") == 3  # 8 spans against 5
    review.close()
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before


def test_review_of_a_non_project_shows_a_message(window, qtbot, tmp_path: Path,  # noqa: ANN001
                                                 messages) -> None:  # noqa: ANN001
    bad = tmp_path / "notes.annot"
    bad.write_text("hello", encoding="utf-8")
    with qtbot.waitSignal(window.jobDone, timeout=20000) as blocker:
        file_menu.open_review_of(window, bad)
    assert blocker.args == ["failed"] and window.review_windows == []
    assert messages and "not an Annotator project" in messages[-1][2]


def test_restore_from_backup_reopens_the_older_state(window, project_path: Path) -> None:  # noqa: ANN001
    doc = window.project.documents()[0].pk
    backup = make_backup(project_path, force=True)
    window.project.add_span(doc, "hedging", "booster", ((0, 9),))
    assert window.project.documents()[0].span_count == 9
    assert file_menu.restore_from(window, backup)
    assert window.project is not None and not window.project.readonly
    assert window.project.documents()[0].span_count == 8


def test_review_sees_the_edit_just_made_in_the_workspace(window, qtbot, project_path: Path,  # noqa: ANN001
                                                         tmp_path: Path) -> None:
    other = tmp_path / "bob.annot"
    with Project.open(project_path, readonly=True) as p:
        corpus = list(p.iter_corpus())
    with Project.create(other, annotator="bob") as p:
        p.import_documents(corpus)  # bob agrees with everything alice had
    text = window.text
    start = text.index("owners")
    window.view.set_selection_cp(start, start + len("owners"))
    assert window.tagger.tag("hedging", "booster", exact=True) is not None  # alice's new span
    with qtbot.waitSignal(window.jobDone, timeout=20000):
        file_menu.open_review_of(window, other)
    review = window.review_windows[-1]
    only_a = [it for it in review.adjudication.disagreements() if it.kind == "only_a"]
    assert [(it.a.label, it.a.fragments) for it in only_a if it.a] == [
        ("booster", ((start, start + len("owners")),))]
    review.close()
