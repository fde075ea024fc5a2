"""The tagset tables' rows read into a :class:`Tagset`, every value checked (no SQLAlchemy:
what a plain :mod:`sqlite3` reader such as :mod:`annotator.review.quick_stream` needs too).
:mod:`annotator.core.storage.tagset_store` reads and writes the tables through a session."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any

from annotator.core.storage import rows
from annotator.core.storage.rows import DamagedValue
from annotator.core.tagset import (
    ATTRIBUTE_TYPES,
    SCOPES,
    AttributeDef,
    LabelDef,
    LayerDef,
    RelationTypeDef,
    Tagset,
)

LAYER_SQL = ("SELECT id, name, description, enabled, attributes, scope FROM tagset_layer "
             "ORDER BY position, id")
LABEL_SQL = ("SELECT id, layer_id, name, color, key, description, attributes FROM tagset_label "
             "ORDER BY position, id")
RELATION_TYPE_SQL = ("SELECT id, name, description, source, target, attributes "
                     "FROM tagset_relation_type ORDER BY position, id")
_ATTRIBUTE_KEYS = frozenset(f.name for f in fields(AttributeDef))


def tagset_from_rows(layers: Iterable[Sequence[Any]], labels: Iterable[Sequence[Any]],
                     relation_types: Iterable[Sequence[Any]], *, name: str = "",
                     problems: list[str] | None = None) -> Tagset:
    """A tagset from the rows of :data:`LAYER_SQL`, :data:`LABEL_SQL` and
    :data:`RELATION_TYPE_SQL`, checked value by value.

    Without ``problems`` the first unsound entry raises :class:`DamagedValue`; with it, each one
    is described there ("tagset: layer 'x': …") and left out, and the rest is returned.
    """
    ts = Tagset(name=name)

    def bad(where: str, exc: DamagedValue) -> None:
        if problems is None:
            raise DamagedValue(f"tagset: {where}: {exc.message}") from None
        problems.append(f"tagset: {where}: {exc.message}")

    by_id: dict[object, LayerDef] = {}
    for pk, lname, desc, enabled, attrs, scope in layers:
        where = f"layer {lname!r}" if type(lname) is str and lname else f"layer {pk}"
        try:
            if enabled not in (0, 1) or isinstance(enabled, float):
                raise DamagedValue(f"enabled is {rows.kind(enabled)} {enabled!r}, not 0 or 1")
            if scope not in SCOPES or type(scope) is not str:
                raise DamagedValue(f"scope is {rows.kind(scope)} {scope!r}, not \"span\" or "
                                   "\"document\"")
            layer = LayerDef(name=rows.text(lname, "name", required=True),
                             description=rows.text(desc, "description"), enabled=bool(enabled),
                             attributes=_attrs(attrs), scope=scope)
        except DamagedValue as exc:
            bad(where, exc)
            if type(lname) is not str or not lname:
                continue
            layer = LayerDef(name=lname)  # reported; kept so that its labels are checked too
        by_id[pk] = layer
        ts.layers.append(layer)
    for pk, layer_id, bname, color, key, desc, attrs in labels:
        owner = by_id.get(layer_id)
        if type(bname) is str and bname:
            where = f"label {(owner.name if owner else str(layer_id)) + ':' + bname!r}"
        else:
            where = f"label {pk}"
        try:
            if owner is None:
                raise DamagedValue(f"belongs to a missing layer ({layer_id!r})")
            owner.labels.append(LabelDef(
                name=rows.text(bname, "name", required=True), color=rows.text(color, "color"),
                key=rows.text(key, "key"), description=rows.text(desc, "description"),
                attributes=_attrs(attrs)))
        except DamagedValue as exc:
            bad(where, exc)
    for pk, rname, desc, source, target, attrs in relation_types:
        where = f"relation type {rname!r}" if type(rname) is str and rname else \
            f"relation type {pk}"
        try:
            ts.relation_types.append(RelationTypeDef(
                name=rows.text(rname, "name", required=True),
                description=rows.text(desc, "description"), source=_ends(source, "source"),
                target=_ends(target, "target"), attributes=_attrs(attrs)))
        except DamagedValue as exc:
            bad(where, exc)
    return ts


def _ends(raw: object, what: str) -> list[str]:
    ends = rows.json_list(raw, what)
    for end in ends:
        if type(end) is not str:
            raise DamagedValue(f"{what} holds {rows.kind(end)} {end!r}, not a layer name")
    return ends


def _attrs(raw: object) -> list[AttributeDef]:
    out = []
    for i, d in enumerate(rows.json_list(raw, "attributes"), 1):
        if not isinstance(d, dict):
            raise DamagedValue(f"attribute {i} is {rows.kind(d)}, not a JSON object")
        unknown = sorted(set(d) - _ATTRIBUTE_KEYS)
        if unknown:
            raise DamagedValue(f"attribute {i} has an unknown key {unknown[0]!r}")
        name = rows.text(d.get("name"), f"the name of attribute {i}", required=True)
        a = AttributeDef(name=name, type=rows.text(d.get("type", "choice"),
                                                   f"the type of attribute {name!r}"),
                         values=d.get("values", []), default=d.get("default"),
                         description=rows.text(d.get("description", ""),
                                               f"the description of attribute {name!r}"))
        if a.type not in ATTRIBUTE_TYPES:
            raise DamagedValue(f"attribute {name!r} has an unknown type {a.type!r}")
        if not isinstance(a.values, list) or any(type(v) is not str for v in a.values):
            raise DamagedValue(f"the values of attribute {name!r} are {rows.kind(a.values)}, "
                               "not a list of strings")
        if a.type in ("choice", "multi") and not a.values:
            raise DamagedValue(f"attribute {name!r} is a {a.type} without values")
        out.append(a)
    return out
