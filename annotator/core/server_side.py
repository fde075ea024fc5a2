"""The part of the :class:`~annotator.core.project.Project` facade that differs for a project
on a PostgreSQL server (:mod:`annotator.core.storage.postgres`): opening by URL, settings as
the server stores them, the check, live changes. :class:`ServerSide` is a mixin; a project
file never goes through it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.storage import postgres as pg
from annotator.core.storage.schema import MetaRow

if TYPE_CHECKING:
    from annotator.core.project import Project


class ServerSide:
    if TYPE_CHECKING:
        path: Path
        _engine: Engine

        def _read(self) -> AbstractContextManager[Session]: ...
        def iter_corpus(self) -> Any: ...
        @property
        def tagset(self) -> Any: ...

    @classmethod
    def _open_server(cls, url: str, *, readonly: bool) -> Project:
        """A project on a server: no file, no lock, no backup (the server has its own); the
        annotator is the login role."""
        from annotator.core.project import Project

        engine = pg.make_engine(url, readonly=readonly)
        try:
            pg.check_schema(engine, url)
        except BaseException:
            engine.dispose()
            raise
        # where a file's path would be: the address without password (messages show it)
        return Project(cast(Path, pg.ServerAddress(url)), engine, readonly=readonly, lock=None)

    @property
    def on_server(self) -> bool:
        return pg.is_server(self._engine)

    def _server_meta(self) -> dict[str, object]:
        """The settings (typed columns: no stray types to tolerate) and, as the annotator,
        the login role."""
        with self._read() as s:
            found = s.execute(select(MetaRow.key, MetaRow.value)).all()
            meta: dict[str, object] = {str(k): v for k, v in found}
            meta["annotator"] = s.execute(text("SELECT session_user")).scalar_one()
        return meta

    def _server_check(self) -> list[str]:
        """The server checks its own pages; what is read must decode."""
        try:
            for _ in self.iter_corpus():
                pass
            self.tagset  # noqa: B018 - reading it is the check
        except AnnotatorError as exc:
            return [str(exc)]
        return []

    def subscribe(self) -> Any:
        """Live changes made by anyone on a server project
        (:class:`annotator.core.storage.postgres_live.Subscription`); a project file has none."""
        if not self.on_server:
            raise AnnotatorError("live changes need a project on a server", path=self.path)
        from annotator.core.storage.postgres_live import subscribe

        return subscribe(self._engine)
