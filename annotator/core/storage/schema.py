"""The ORM tables of a project file (SQLAlchemy 2.0 typed declarative).

Only :mod:`annotator.core.storage` and :mod:`annotator.core.project` use these classes; the rest of
the program sees the plain dataclasses of :mod:`annotator.core.model`.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import ForeignKey, Index, MetaData, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

APPLICATION_ID = 0x414E4E54  # "ANNT": marks an SQLite file as an Annotator project
SCHEMA_VERSION = 1

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


OUR_TABLES = frozenset(Base.metadata.tables)
