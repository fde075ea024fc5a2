"""Working offline on a shared project: ``annotator pull URL -o FILE`` and
``annotator push FILE URL``.

``pull`` writes a new project file with the tagset, your assigned documents (all of them when
nothing is assigned) and your spans and relations on them; the file remembers the server's
address (without password) and, per document, a fingerprint of your spans as the server had
them (project settings ``team_server``, ``team_pulled``).

``push`` sends back, per document and atomically (one transaction each), your spans and
relations: they replace yours on the server. A document is refused, with a message naming it,
when its text differs from the server's, when it is not on the server, or when your spans there
changed since the pull (pushed from elsewhere, or edited live): pull again to see them. Others'
spans are never touched. After a push the file's fingerprints are those of what was pushed, so
that editing on and pushing again works.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from annotator.core.annotations import now_iso
from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project
from annotator.core.storage import postgres as pg
from annotator.core.storage.schema import DocumentRow, RelationRow, SpanRow

SERVER_KEY, PULLED_KEY = "team_server", "team_pulled"


def fingerprint(spans: Iterable[SpanRecord], relations: Iterable[Any] = ()) -> str:
    """What a coder's annotations of one document are, whatever their keys."""
    spans = list(spans)
    items = sorted(json.dumps([s.layer, s.label, [list(f) for f in s.fragments], s.attributes,
                               s.note], sort_keys=True, ensure_ascii=False) for s in spans)
    by_key = {s.key: [s.layer, s.label, [list(f) for f in s.fragments]] for s in spans}
    rels = sorted(json.dumps([r.type, by_key.get(r.source), by_key.get(r.target), r.attributes],
                             sort_keys=True, ensure_ascii=False) for r in relations)
    return hashlib.sha256(json.dumps([items, rels]).encode()).hexdigest()


def _mine(doc: CorpusDocument, who: str) -> CorpusDocument:
    spans = [s for s in doc.spans if s.annotator == who]
    keys = {s.key for s in spans}
    rels = [r for r in doc.relations if r.source in keys and r.target in keys]
    return CorpusDocument(name=doc.name, title=doc.title, text=doc.text, meta=doc.meta,
                          status=doc.status, spans=spans, relations=rels)


def _assigned(server: Project) -> list[int] | None:
    """The caller's assigned documents' keys, or None (no assignment: every document)."""
    from sqlalchemy import text

    with server._read() as s:
        if not s.execute(text("SELECT EXISTS (SELECT 1 FROM assignment)")).scalar():
            return None
        return list(s.execute(text("SELECT document_id FROM assignment WHERE annotator = "
                                   "session_user ORDER BY document_id")).scalars())


def pull(url: str, out: Path) -> str:
    if out.exists() or out.is_symlink():
        raise BadInputError("already exists; choose a new file name", path=out)
    with Project.open(url, readonly=True) as server:
        who = server.annotator
        wanted = _assigned(server)
        docs = [_mine(d, who) for d in server.iter_corpus(documents=wanted)]
        hashes = {d.name: d.sha256 for d in server.documents()}
        tagset = server.tagset
        guidelines = getattr(server, "guidelines", "")
    pulled = {hashes[d.name]: fingerprint(d.spans, d.relations) for d in docs}
    try:
        with Project.create(out, annotator=who, tagset=tagset) as p:
            p.import_documents(docs)
            if guidelines and hasattr(p, "set_guidelines"):
                p.set_guidelines(guidelines)
            p.set_setting(SERVER_KEY, pg.shown_url(url))
            p.set_setting(PULLED_KEY, json.dumps(pulled, sort_keys=True))
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            out.with_name(out.name + suffix).unlink(missing_ok=True)
        raise
    spans = sum(len(d.spans) for d in docs)
    return f"pulled {len(docs)} document(s) and {spans} span(s) of {who} into {out}"


@dataclass
class Pushed:
    pushed: list[str] = field(default_factory=list)
    unchanged: int = 0
    refused: list[str] = field(default_factory=list)  # messages naming the document


def push(file: Path, url: str) -> Pushed:
    result = Pushed()
    with Project.open(file, readonly=True) as local:
        raw = local.setting(PULLED_KEY)
        if not raw:
            raise BadInputError("was not made by `annotator pull` (it records no pull); "
                                "import it on the server instead", path=file)
        pulled: dict[str, str] = json.loads(raw)
        who = local.annotator
        hashes = {d.name: d.sha256 for d in local.documents()}
        docs = [_mine(d, who) for d in local.iter_corpus()]
    with Project.open(url) as server:
        if server.annotator != who:
            raise BadInputError(f"holds {who}'s spans; log in as {who}, not "
                                f"{server.annotator}", path=file)
        on_server = {d.sha256: d for d in server.documents()}
        by_name = {d.name: d for d in on_server.values()}
        for doc in docs:
            sha = hashes[doc.name]
            target = on_server.get(sha)
            if target is None:
                other = by_name.get(doc.name)
                why = ("its text differs from the server's document of that id" if other
                       else "it is not on the server (or not assigned to you)")
                result.refused.append(f"{file}: document {doc.name!r} not pushed: {why}")
                continue
            mine = fingerprint(doc.spans, doc.relations)
            if mine == pulled.get(sha):
                result.unchanged += 1
                continue
            if not _replace(server, target.pk, doc, who, pulled.get(sha)):
                result.refused.append(
                    f"{file}: document {doc.name!r} not pushed: your spans on the server "
                    "changed since the pull; pull again to get them")
                continue
            pulled[sha] = mine
            result.pushed.append(doc.name)
    if result.pushed:
        with Project.open(file) as local:
            local.set_setting(PULLED_KEY, json.dumps(pulled, sort_keys=True))
    return result


def _replace(server: Project, doc_pk: int, doc: CorpusDocument, who: str,
             expected: str | None) -> bool:
    """In one transaction: check that ``who``'s annotations of the document are still those
    of the pull (locked meanwhile), then replace them by ``doc``'s. False when they changed."""
    with server._write() as s:
        s.execute(select(DocumentRow.id).where(DocumentRow.id == doc_pk).with_for_update())
        if _server_fingerprint(s, server, doc_pk, who) != expected:
            return False
        s.execute(delete(RelationRow).where(RelationRow.document_id == doc_pk,
                                            RelationRow.annotator == who))
        s.execute(delete(SpanRow).where(SpanRow.document_id == doc_pk,
                                        SpanRow.annotator == who))
        conn = s.connection()
        keys = pg.allocate(conn, "span", len(doc.spans))
        pk_of = {sp.key: k for sp, k in zip(doc.spans, keys, strict=True)}
        stamp = now_iso()
        if doc.spans:
            conn.execute(insert(SpanRow), [
                {"id": pk_of[sp.key], "document_id": doc_pk, "layer": sp.layer,
                 "label": sp.label, "start": sp.fragments[0][0], "end": sp.fragments[-1][1],
                 "fragments": (json.dumps([list(f) for f in sp.fragments])
                               if len(sp.fragments) > 1 else None),
                 "attributes": json.dumps(sp.attributes, ensure_ascii=False, sort_keys=True),
                 "note": sp.note, "annotator": who, "created": stamp, "modified": stamp}
                for sp in doc.spans])
        if doc.relations:
            conn.execute(insert(RelationRow), [
                {"document_id": doc_pk, "type": r.type, "source_id": pk_of[r.source],
                 "target_id": pk_of[r.target], "annotator": who, "created": stamp,
                 "attributes": json.dumps(r.attributes, ensure_ascii=False, sort_keys=True)}
                for r in doc.relations])
    return True


def _server_fingerprint(s: Session, server: Project, doc_pk: int, who: str) -> str:
    """The fingerprint of ``who``'s annotations of a server document, read in ``s``."""
    from annotator.core.bulk import _corpus_document

    row = s.execute(select(*(DocumentRow.__table__.c[c] for c in
                             ("id", "name", "title", "sha256", "length", "meta", "status")),
                           *pg.text_columns()).where(DocumentRow.id == doc_pk)).one()
    spans = [tuple(r) for r in s.execute(select(*(SpanRow.__table__.c[c] for c in (
        "id", "document_id", "layer", "label", "start", "end", "fragments", "attributes",
        "note", "annotator", "created", "modified"))).where(SpanRow.document_id == doc_pk))]
    rels = [tuple(r) for r in s.execute(select(
        RelationRow.id, RelationRow.document_id, RelationRow.type, RelationRow.source_id,
        RelationRow.target_id, RelationRow.attributes).where(RelationRow.document_id == doc_pk)
        .order_by(RelationRow.id))]
    doc = _corpus_document(row, "utf-8", spans, rels, None, None)
    mine = _mine(doc, who)
    return fingerprint(mine.spans, mine.relations)
