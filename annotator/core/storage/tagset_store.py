"""Reading and writing the tagset tables."""

from __future__ import annotations

import json
from dataclasses import asdict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotator.core.storage.schema import LabelRow, LayerRow, RelationTypeRow
from annotator.core.tagset import AttributeDef, LabelDef, LayerDef, RelationTypeDef, Tagset


def _attrs_json(attrs: list[AttributeDef]) -> str:
    return json.dumps([asdict(a) for a in attrs], ensure_ascii=False)


def _attrs(raw: str) -> list[AttributeDef]:
    return [AttributeDef(**d) for d in json.loads(raw or "[]")]


def save_tagset(session: Session, tagset: Tagset) -> None:
    """Replace the stored tagset by ``tagset``."""
    session.execute(delete(LabelRow))
    session.execute(delete(LayerRow))
    session.execute(delete(RelationTypeRow))
    for i, layer in enumerate(tagset.layers):
        row = LayerRow(name=layer.name, description=layer.description, enabled=layer.enabled,
                       position=i, attributes=_attrs_json(layer.attributes))
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
    ts = Tagset(name=name)
    layers = session.scalars(select(LayerRow).order_by(LayerRow.position)).all()
    labels = session.scalars(select(LabelRow).order_by(LabelRow.position)).all()
    by_layer: dict[int, list[LabelRow]] = {}
    for lab in labels:
        by_layer.setdefault(lab.layer_id, []).append(lab)
    for lay in layers:
        ts.layers.append(LayerDef(
            name=lay.name, description=lay.description, enabled=lay.enabled,
            attributes=_attrs(lay.attributes),
            labels=[LabelDef(name=b.name, color=b.color, key=b.key, description=b.description,
                             attributes=_attrs(b.attributes)) for b in by_layer.get(lay.id, [])]))
    for rel in session.scalars(select(RelationTypeRow).order_by(RelationTypeRow.position)):
        ts.relation_types.append(RelationTypeDef(
            name=rel.name, description=rel.description, source=json.loads(rel.source),
            target=json.loads(rel.target), attributes=_attrs(rel.attributes)))
    return ts
