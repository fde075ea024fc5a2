"""``annotator server``: make a PostgreSQL database a shared project, add people, assign
documents, see progress. The rules the server enforces are :mod:`annotator.team.server_sql`.

``init`` runs as the database's owner (a role that may create roles): the owner's tables are
the project; RLS does not bind the owner, who is the administrator. Passwords of new users are
hashed here (SCRAM-SHA-256, by libpq) before they are sent: the server, its logs and this
program's output never see them in clear.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from annotator.core.annotations import now_iso
from annotator.core.errors import AnnotatorError, BadInputError
from annotator.core.storage import postgres as pg
from annotator.core.storage.schema import SCHEMA_VERSION, Base, MetaRow
from annotator.core.storage.tagset_store import save_tagset
from annotator.core.tagset import Tagset
from annotator.team import assign as assigning
from annotator.team import server_sql as q


def _tables(conn: Connection) -> tuple[list[str], set[str]]:
    """The project's tables, and those whose rows carry annotator and document_id."""
    names = list(conn.execute(text(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name")).scalars())
    cols = conn.execute(text(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public'")).all()
    have: dict[str, set[str]] = {}
    for t, c in cols:
        have.setdefault(t, set()).add(c)
    own = {t for t in names if {"annotator", "document_id"} <= have.get(t, set())
           and t != "assignment"}
    return names, own


def init(url: str, *, tagset: Tagset | None = None, blind: bool = True) -> str:
    """Schema, roles, grants, policies, triggers. On a database that holds our project
    already, the roles, grants and policies are applied again (nothing else changes); a
    database holding other tables is refused. Returns what was done, in words."""
    shown = pg.shown_url(url)
    engine = pg.make_engine(url)
    try:
        with engine.begin() as conn:
            names, _ = _tables(conn)
            again = "project_meta" in names
            if again:
                version = conn.execute(text("SELECT value FROM project_meta WHERE key = :k"),
                                       {"k": pg.VERSION_KEY}).scalar()
                if version is None:
                    raise AnnotatorError("holds a project_meta table that is not Annotator's",
                                         path=shown)
                if int(version) > SCHEMA_VERSION:
                    raise AnnotatorError(f"was set up by a newer Annotator (schema {version})",
                                         path=shown)
            elif names:
                raise AnnotatorError(f"is not empty (it has the table {names[0]!r}); give an "
                                     "empty database", path=shown)
            Base.metadata.create_all(conn)
            if not again:
                if tagset is None:
                    from annotator.core.tagset import default_tagset

                    tagset = default_tagset()
                with Session(bind=conn) as s:
                    save_tagset(s, tagset)
                    for key, value in (("created", now_iso()), ("tagset_name", tagset.name),
                                       (q.BLIND_KEY, "1" if blind else "0")):
                        s.add(MetaRow(key=key, value=value))
                    s.flush()
            conn.execute(text("INSERT INTO project_meta (key, value) VALUES (:k, :v) "
                              "ON CONFLICT (key) DO UPDATE SET value = :v"),
                         {"k": pg.VERSION_KEY, "v": str(SCHEMA_VERSION)})
            conn.execute(text(q.ROLES))
            conn.execute(text(q.FUNCTIONS))
            tables, own = _tables(conn)
            for statement in (q.grants(tables, own) + q.policies(tables, own)
                              + q.triggers(tables, own)):
                conn.execute(text(statement))
    except DBAPIError as exc:
        raise AnnotatorError(f"could not be set up ({pg.reason_of(exc)})", path=shown) from None
    finally:
        engine.dispose()
    mode = "blind" if blind else "open"
    return (f"{shown}: roles, permissions and policies applied again" if again else
            f"{shown}: project created ({mode} coding; roles {q.CURATOR}, {q.CODER})")


def new_password(prompt: Callable[[str], str] | None = None) -> str:
    """The new user's password: ANNOTATOR_NEW_PASSWORD, else standard input (one line) when
    it is not a terminal, else asked twice at the terminal."""
    env = os.environ.get("ANNOTATOR_NEW_PASSWORD")
    if env:
        return env
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise BadInputError("no password given (one line on standard input, or "
                                "ANNOTATOR_NEW_PASSWORD)")
        return line
    import getpass

    ask = prompt or getpass.getpass
    first = ask("new user's password: ")
    if not first or first != ask("again: "):
        raise BadInputError("the passwords are empty or differ; nothing was changed")
    return first


def add_user(url: str, name: str, password: str, *, curator: bool = False) -> str:
    (name,) = assigning.coder_names(name)
    shown = pg.shown_url(url)
    engine = pg.make_engine(url)
    group = q.CURATOR if curator else q.CODER
    try:
        with engine.begin() as conn:
            raw: Any = conn.connection.driver_connection
            hashed = raw.pgconn.encrypt_password(password.encode(), name.encode(),
                                                 b"scram-sha-256").decode()
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                                  {"n": name}).scalar()
            if exists:
                raise AnnotatorError(f"a role named {name!r} exists already", path=shown)
            conn.exec_driver_sql(f'CREATE ROLE "{name}" LOGIN PASSWORD \'{hashed}\'')
            conn.exec_driver_sql(f'GRANT {group} TO "{name}"')
    except DBAPIError as exc:
        raise AnnotatorError(f"could not add {name!r} ({pg.reason_of(exc)})", path=shown
                             ) from None
    finally:
        engine.dispose()
    return f"{shown}: added {name} as {'curator' if curator else 'coder'}"


def assign(url: str, coders: list[str], *, overlap: float | None, seed: int
           ) -> dict[str, list[str]]:
    """Replace the assignments by a plan (:func:`annotator.team.assign.plan`); curators only
    (the server refuses anyone else). Returns coder -> document names."""
    shown = pg.shown_url(url)
    engine = pg.make_engine(url)
    try:
        with engine.begin() as conn:
            docs = conn.execute(text("SELECT id, name FROM document ORDER BY position, id")).all()
            if not docs:
                raise BadInputError("has no documents to assign", path=shown)
            planned = assigning.plan([n for _, n in docs], coders, overlap=overlap, seed=seed)
            ids = {n: i for i, n in docs}
            conn.execute(text("DELETE FROM assignment"))
            rows = [{"d": ids[n], "a": c, "m": now_iso()} for c, names in planned.items()
                    for n in names]
            conn.execute(text("INSERT INTO assignment (document_id, annotator, status, modified) "
                              "VALUES (:d, :a, 'new', :m)"), rows)
    except DBAPIError as exc:
        raise AnnotatorError(f"could not assign ({pg.reason_of(exc)})", path=shown) from None
    finally:
        engine.dispose()
    return planned


def progress(url: str) -> dict[str, dict[str, int]]:
    """Per annotator: documents assigned, by status, and spans; what the caller may see
    (:meth:`Project.progress`)."""
    from annotator.core.project import Project

    with Project.open(url, readonly=True) as project:
        return project.progress()


def set_my_status(url: str, document: str, status: str) -> None:
    """The caller's own status for one assigned document."""
    engine = pg.make_engine(url)
    try:
        with engine.begin() as conn:
            n = conn.execute(text(
                "UPDATE assignment SET status = :s, modified = :m WHERE annotator = session_user "
                "AND document_id = (SELECT id FROM document WHERE name = :d)"),
                {"s": status, "m": now_iso(), "d": document}).rowcount
            if not n:
                raise BadInputError(f"document {document!r} is not assigned to you",
                                    path=pg.shown_url(url))
    finally:
        engine.dispose()
