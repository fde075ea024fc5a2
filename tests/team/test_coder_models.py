"""A coder's learned model on a shared project: stored in their own name, read back by them,
hidden from the other coders in blind mode, and nothing else writable (real roles, plain SQL)."""

from __future__ import annotations

import psycopg
import pytest
from pgserver import PgServer
from teamkit import sql as _sql

from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.nlp import crf
from annotator.nlp.model_names import names_to_read, own_name
from annotator.nlp.suggest_cli import stored_models
from annotator.nlp.training import TrainDoc


def _trained_model() -> crf.LayerModel:
    """A small real CRF model of the attribution layer."""
    docs = [TrainDoc(f"d{i}", "Officials said the plan failed. Critics said it worked.",
                     (("attribution", "cue", 10, 14), ("attribution", "cue", 40, 44)))
            for i in range(6)]
    model = crf.CrfRecommender()
    model.train(docs)
    return model.models["attribution"]


def test_a_coder_stores_and_reads_back_their_own_model(team: dict[str, str]) -> None:
    model = _trained_model()
    alice = team["alice_name"]
    with Project.open(team["alice"]) as p:
        assert own_name(p, crf.NAME) == f"{crf.NAME}@{alice}"
        assert names_to_read(p, crf.NAME) == (f"{crf.NAME}@{alice}", crf.NAME)
        assert p.save_model(own_name(p, crf.NAME), "attribution", model.to_bytes(), {}) == 1
        assert p.save_model(own_name(p, crf.NAME), "attribution", model.to_bytes(), {}) == 2
    with Project.open(team["alice"]) as p:
        found = stored_models(p)
        assert set(found) == {"attribution"}
        assert found["attribution"].to_bytes() == model.to_bytes()


def test_blind_coders_cannot_see_or_write_each_others_models(team: dict[str, str],
                                                             pg_env: PgServer) -> None:
    model = _trained_model().to_bytes()
    alice, bob = team["alice_name"], team["bob_name"]
    with Project.open(team["alice"]) as p:
        p.save_model(own_name(p, crf.NAME), "attribution", model, {})
    with Project.open(team["bob"]) as p:  # bob's client finds no model: alice's is hidden
        assert p.model(f"{crf.NAME}@{alice}", "attribution") is None
        assert stored_models(p) == {}
    with _sql(team["bob"], pg_env) as conn:
        assert conn.execute("SELECT count(*) FROM recommender_model").fetchone() == (0,)
        for name in (crf.NAME, f"{crf.NAME}@{alice}", f"x@{bob}x", f"{crf.NAME}@{bob}@{alice}"):
            with pytest.raises(psycopg.Error) as caught:
                conn.execute("INSERT INTO recommender_model (name, layer, version, data, meta, "
                             f"created) VALUES ('{name}', 'stance', 1, '\\x00', '{{}}', '')")
            assert "row-level security" in str(caught.value)
        # alice's row is not bob's to change or delete: nothing matches
        assert conn.execute("UPDATE recommender_model SET name = 'learned' ").rowcount == 0
        assert conn.execute("DELETE FROM recommender_model").rowcount == 0
        # his own name is allowed
        conn.execute("INSERT INTO recommender_model (name, layer, version, data, meta, created) "
                     f"VALUES ('{crf.NAME}@{bob}', 'stance', 1, '\\x00', '{{}}', '')")
        # and he cannot rename it onto the shared model or onto alice's
        with pytest.raises(psycopg.Error) as caught:
            conn.execute(f"UPDATE recommender_model SET name = '{crf.NAME}'")
        assert "row-level security" in str(caught.value)
    with _sql(team["cleo"], pg_env) as conn:  # the curator sees both
        names = sorted(r[0] for r in conn.execute("SELECT name FROM recommender_model"))
        assert names == sorted([f"{crf.NAME}@{alice}", f"{crf.NAME}@{bob}"])


def test_a_shared_model_is_read_by_coders_and_their_own_comes_first(
        team: dict[str, str]) -> None:
    model = _trained_model().to_bytes()
    with Project.open(team["cleo"]) as p:  # the curator publishes a shared model
        p.save_model(crf.NAME, "attribution", model, {})
    with Project.open(team["bob"]) as p:
        assert set(stored_models(p)) == {"attribution"}  # bob has none: the shared one
        # a coder cannot replace the shared model: a message, not a traceback
        with pytest.raises(AnnotatorError, match="the change was refused"):
            p.save_model(crf.NAME, "attribution", model, {})
        p.save_model(own_name(p, crf.NAME), "attribution", model, {})
        assert p.model(f"{crf.NAME}@{team['bob_name']}", "attribution") is not None


def test_training_in_a_coders_window_stores_the_model_in_their_name(
        qtbot, team, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for var in ("CONFIG", "DATA", "BACKUP"):
        monkeypatch.setenv(f"ANNOTATOR_{var}_DIR", str(tmp_path / var.lower()))
    from annotator.core.model import CorpusDocument
    from annotator.gui.main_window import MainWindow

    text = "Officials said the deal may collapse. Critics said the plan might fail."
    with Project.open(team["cleo"]) as p:
        p.import_documents([CorpusDocument(name=f"n{k:02}", text=f"{text} Item {k}.")
                            for k in range(12)])
    with Project.open(team["alice"]) as p:  # alice tags them (her spans only: blind)
        for d in p.documents():
            if d.name.startswith("n"):
                for word, layer, label in (("said", "attribution", "cue"),
                                           ("may", "hedging", "hedge")):
                    i = text.index(word)
                    p.add_span(d.pk, layer, label, ((i, i + len(word)),))
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_project(team["alice"])
    with qtbot.waitSignal(w.suggestions.trained, timeout=120000) as blocker:
        w.suggestions.panel.train_button.click()
    assert blocker.args[0] is not None
    alice = team["alice_name"]
    qtbot.waitUntil(lambda: w.project.model(f"{crf.NAME}@{alice}", "attribution") is not None,
                    timeout=5000)
    assert "not stored" not in w.suggestions.panel.status.text()
    w.close()
    with Project.open(team["cleo"]) as p:  # nothing under the shared name; bob sees none
        assert p.model(crf.NAME, "attribution") is None
        assert p.model(f"{crf.NAME}@{alice}", "hedging") is not None
    with Project.open(team["bob"]) as p:
        assert stored_models(p) == {}
