"""Reading and writing the tagset tables."""

from __future__ import annotations

import json
from dataclasses import asdict

from sqlalchemy import delete
from sqlalchemy.orm import Session

from annotator.core.storage.schema import LabelRow, LayerRow, RelationTypeRow
from annotator.core.storage.tagset_rows import (
    LABEL_SQL,
    LAYER_SQL,
    RELATION_TYPE_SQL,
    tagset_from_rows,
)
from annotator.core.tagset import AttributeDef, Tagset


def _attrs_json(attrs: list[AttributeDef]) -> str:
    return json.dumps([asdict(a) for a in attrs], ensure_ascii=False)


def save_tagset(session: Session, tagset: Tagset) -> None:
    """Replace the stored tagset by ``tagset``."""
    session.execute(delete(LabelRow))
    session.execute(delete(LayerRow))
    session.execute(delete(RelationTypeRow))
    for i, layer in enumerate(tagset.layers):
        row = LayerRow(name=layer.name, description=layer.description, enabled=layer.enabled,
                       position=i, attributes=_attrs_json(layer.attributes), scope=layer.scope)
        session.add(row)
        session.flush()
        for j, lab in enumerate(layer.labels):
            session.add(LabelRow(layer_id=row.id, name=lab.name, color=lab.color, key=lab.key,
                                 description=lab.description, position=j,
                                 attributes=_attrs_json(lab.attributes)))
    for i, rel in enumerate(tagset.relation_types):
        session.add(RelationTypeRow(name=rel.name, description=rel.description, position=i,
                                    source=json.dumps(rel.source), target=json.dumps(rel.target),
                                    attributes=_attrs_json(rel.attributes)))


def load_tagset(session: Session, name: str = "") -> Tagset:
    """The stored tagset; raises :class:`DamagedValue` naming the first entry that is not sound.

    Plain rows (no ORM, no type processing): a crafted file may hold any value in any column.
    """
    conn = session.connection()
    return tagset_from_rows(*(conn.exec_driver_sql(sql).all()
                              for sql in (LAYER_SQL, LABEL_SQL, RELATION_TYPE_SQL)), name=name)


