"""The ORM tables of a project file (SQLAlchemy 2.0 typed declarative).

Only :mod:`annotator.core.storage` and :mod:`annotator.core.project` use these classes; the rest of
the program sees the plain dataclasses of :mod:`annotator.core.model`.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import (
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

APPLICATION_ID = 0x414E4E54  # "ANNT": marks an SQLite file as an Annotator project
SCHEMA_VERSION = 2  # 2: layer scope, document-level annotations, suggestions, assignments

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # every mapping here is a declarative table, so ``__table__`` is a Table (SQLAlchemy types
    # it as the wider FromClause, which ``insert()`` does not accept)
    __table__: ClassVar[Table]


class MetaRow(Base):
    """Project-wide settings: annotator name, created, tagset name…"""

    __tablename__ = "project_meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class LayerRow(Base):
    __tablename__ = "tagset_layer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    attributes: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of AttributeDef
    # "span": labels for passages; "document": labels for a document as a whole (schema 2)
    scope: Mapped[str] = mapped_column(String, default="span", server_default="span")


class LabelRow(Base):
    __tablename__ = "tagset_label"
    __table_args__ = (UniqueConstraint("layer_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    layer_id: Mapped[int] = mapped_column(ForeignKey("tagset_layer.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String)
    color: Mapped[str] = mapped_column(String, default="#888888")
    key: Mapped[str] = mapped_column(String, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    attributes: Mapped[str] = mapped_column(Text, default="[]")


class RelationTypeRow(Base):
    __tablename__ = "tagset_relation_type"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of "layer[:label]"
    target: Mapped[str] = mapped_column(Text, default="[]")
    attributes: Mapped[str] = mapped_column(Text, default="[]")


class DocumentRow(Base):
    __tablename__ = "document"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    length: Mapped[int] = mapped_column()
    meta: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    status: Mapped[str] = mapped_column(String, default="new")
    position: Mapped[int] = mapped_column(default=0)
    created: Mapped[str] = mapped_column(String, default="")
    modified: Mapped[str] = mapped_column(String, default="")


class SpanRow(Base):
    __tablename__ = "span"
    __table_args__ = (Index("ix_span_document_start", "document_id", "start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    layer: Mapped[str] = mapped_column(String)
    label: Mapped[str] = mapped_column(String)
    start: Mapped[int] = mapped_column()
    end: Mapped[int] = mapped_column()
    # JSON list of [start, end] pairs when discontinuous, else NULL
    fragments: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)
    attributes: Mapped[str] = mapped_column(Text, default="{}")
    note: Mapped[str] = mapped_column(Text, default="")
    annotator: Mapped[str] = mapped_column(String, default="")
    created: Mapped[str] = mapped_column(String, default="")
    modified: Mapped[str] = mapped_column(String, default="")


class RelationRow(Base):
    __tablename__ = "relation"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"),
                                             index=True)
    type: Mapped[str] = mapped_column(String)
    source_id: Mapped[int] = mapped_column(ForeignKey("span.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("span.id", ondelete="CASCADE"), index=True)
    attributes: Mapped[str] = mapped_column(Text, default="{}")
    annotator: Mapped[str] = mapped_column(String, default="")
    created: Mapped[str] = mapped_column(String, default="")


class DocAnnotationRow(Base):
    """A document-level annotation: a label (and attributes) of a document as a whole, for a
    layer whose scope is "document" (schema 2)."""

    __tablename__ = "doc_annotation"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"),
                                             index=True)
    layer: Mapped[str] = mapped_column(String)
    label: Mapped[str] = mapped_column(String)
    attributes: Mapped[str] = mapped_column(Text, default="{}")
    annotator: Mapped[str] = mapped_column(String, default="")
    created: Mapped[str] = mapped_column(String, default="")
    modified: Mapped[str] = mapped_column(String, default="")


class SpanOriginRow(Base):
    """Where a span came from when it was not made by hand: the accepted suggestion's
    recommender, model version, training size and score, as a JSON object (schema 2)."""

    __tablename__ = "span_origin"
    span_id: Mapped[int] = mapped_column(ForeignKey("span.id", ondelete="CASCADE"),
                                         primary_key=True)
    origin: Mapped[str] = mapped_column(Text, default="{}")


class RejectedSuggestionRow(Base):
    """A suggestion the annotator rejected: never offered again, a negative example (schema 2)."""

    __tablename__ = "rejected_suggestion"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"),
                                             index=True)
    layer: Mapped[str] = mapped_column(String)
    label: Mapped[str] = mapped_column(String)
    start: Mapped[int] = mapped_column()
    end: Mapped[int] = mapped_column()
    annotator: Mapped[str] = mapped_column(String, default="")
    created: Mapped[str] = mapped_column(String, default="")


class RecommenderModelRow(Base):
    """A trained recommender's model, as bytes in its own format (never pickle) plus a JSON
    object of what it was trained on and how well it does (schema 2)."""

    __tablename__ = "recommender_model"
    __table_args__ = (UniqueConstraint("name", "layer"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String)
    layer: Mapped[str] = mapped_column(String)
    version: Mapped[int] = mapped_column(default=1)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    meta: Mapped[str] = mapped_column(Text, default="{}")
    created: Mapped[str] = mapped_column(String, default="")


class AssignmentRow(Base):
    """A document assigned to an annotator, with that annotator's status of it (schema 2).
    With no assignment at all, every document counts as assigned to everyone."""

    __tablename__ = "assignment"
    __table_args__ = (PrimaryKeyConstraint("document_id", "annotator"),)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    annotator: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String, default="new")
    modified: Mapped[str] = mapped_column(String, default="")


OUR_TABLES = frozenset(Base.metadata.tables)

# what each schema version added, so that a file of an older version is checked against the
# schema it was written with (before it is upgraded)
ADDED_TABLES: dict[int, frozenset[str]] = {
    2: frozenset({"doc_annotation", "span_origin", "rejected_suggestion", "recommender_model",
                  "assignment"}),
}
ADDED_COLUMNS: dict[int, dict[str, frozenset[str]]] = {2: {"tagset_layer": frozenset({"scope"})}}


def tables_of(version: int) -> dict[str, frozenset[str]]:
    """Our tables and their columns as schema ``version`` has them."""
    out = {name: frozenset(table.columns.keys()) for name, table in Base.metadata.tables.items()}
    for v in range(version + 1, SCHEMA_VERSION + 1):
        for name in ADDED_TABLES.get(v, ()):
            out.pop(name, None)
        for name, cols in ADDED_COLUMNS.get(v, {}).items():
            if name in out:
                out[name] = out[name] - cols
    return out
