"""The checks the tagset editor runs after every change: names, keys, colours, relation ends,
attributes, labels and relation types still in use, then the core's own checks
(:func:`~annotator.core.tagset.tagset_from_dict`). Each problem is a ``ValueError`` (or the
core's ``AnnotatorError``) with a message for people."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor

from annotator.core.tagset import (
    AttributeDef,
    LabelDef,
    LayerDef,
    RelationTypeDef,
    Tagset,
    tagset_from_dict,
)


def check_tagset(name: str, description: str, layers: list[LayerDef],
                 relations: list[RelationTypeDef], *,
                 renames: dict[tuple[str, str], tuple[str, str]],
                 layer_renames: dict[str, str],
                 relation_originals: set[Any],
                 used: dict[tuple[str, str], int],
                 used_relations: dict[str, int],
                 original_labels: set[tuple[str, str]],
                 original_relations: set[str]) -> Tagset:
    """The edited tagset, validated; raises with a message for people.

    ``layers`` and ``relations`` are copies (relation ends naming a renamed label or layer are
    rewritten in place to follow it); ``renames`` maps old (layer, label) to new,
    ``layer_renames`` old layer names to new; ``relation_originals`` are the names the relation
    types had in the project's tagset (None for new ones). ``used`` counts spans per (layer,
    label) and ``used_relations`` relations per type, of the project's tagset
    (``original_labels``, ``original_relations``): those cannot be removed.
    """
    ends = {f"{a}:{b}": f"{c}:{d}" for (a, b), (c, d) in renames.items()}
    ends.update(layer_renames)  # a renamed layer: ends naming it follow it too
    for rt in relations:  # ends naming a renamed label follow it
        rt.source = [ends.get(e, e) for e in rt.source]
        rt.target = [ends.get(e, e) for e in rt.target]
    ts = Tagset(name=name, description=description, layers=layers, relation_types=relations)
    for layer in layers:
        if not layer.name:
            raise ValueError("a layer has no name")
        for lab in layer.labels:
            where = f"{layer.name}:{lab.name}"
            if not lab.name:
                raise ValueError(f"a label of layer {layer.name!r} has no name")
            if lab.key and not (lab.key.isascii() and lab.key.isalnum()):
                raise ValueError(f"the key of {where} must be a letter or digit")
            if not QColor.isValidColorName(lab.color):
                raise ValueError(f"the colour {lab.color!r} of {where} is not a colour")
        owners: list[LayerDef | LabelDef] = [layer, *layer.labels]
        for owner in owners:
            check_attributes(owner.attributes, f"{owner.name!r}")
    kept = {old for old in renames} | {(lay.name, lab.name) for lay in layers
                                       for lab in lay.labels}
    for (layer_name, label), n in sorted(used.items()):
        if n and (layer_name, label) in original_labels and (layer_name, label) not in kept:
            raise ValueError(f"{layer_name}:{label} is used by {n} span(s): it cannot be "
                             "removed (rename it instead)")
    names = set()
    labels = {f"{lay.name}:{lab.name}" for lay in layers for lab in lay.labels}
    for rt in relations:
        if not rt.name:
            raise ValueError("a relation type has no name")
        if rt.name in names:
            raise ValueError(f"relation type {rt.name!r} is defined twice")
        names.add(rt.name)
        for end in rt.source + rt.target:
            if end not in labels and ts.layer(end) is None:
                raise ValueError(f"relation type {rt.name!r}: no layer or label {end!r}")
        check_attributes(rt.attributes, f"relation {rt.name!r}")
    for rt_name, n in sorted(used_relations.items()):
        if n and rt_name in original_relations and (
                rt_name not in relation_originals or ts.relation_type(rt_name) is None):
            raise ValueError(f"relation type {rt_name!r} is used by {n} relation(s): it "
                             "cannot be removed or renamed")
    return tagset_from_dict(ts.to_dict())  # the core's checks (duplicates, keys, types)


def check_attributes(attrs: list[AttributeDef], where: str) -> None:
    """Every attribute has a name, no name twice, a choice's default is one of its values."""
    names = set()
    for a in attrs:
        if not a.name:
            raise ValueError(f"an attribute of {where} has no name")
        if a.name in names:
            raise ValueError(f"attribute {a.name!r} of {where} is defined twice")
        names.add(a.name)
        if a.type == "choice" and a.default is not None and a.default not in a.values:
            raise ValueError(f"default {a.default!r} of attribute {a.name!r} of {where} is not "
                             "one of its values")
