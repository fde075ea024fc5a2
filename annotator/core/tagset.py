"""The tagset: layers of span labels, their attributes, and relation types.

A tagset is read from and written to one TOML file (``resources/tagsets/default.toml`` is the
default; ``annotator new --tagset FILE`` takes a custom one). The same structure is stored in the
project file. Attribute types: ``choice`` (one of ``values``), ``multi`` (several of ``values``),
``text``, ``number``, ``bool``. An attribute is unset until the annotator sets it; only an
explicit ``default = ...`` on its definition is written on every new span of its label.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import TagsetError

ATTRIBUTE_TYPES = ("choice", "multi", "text", "number", "bool")

SCOPES = ("span", "document")
# the longest name of a layer, label, attribute or relation type (code points): longer ones are
# text pasted into the wrong field, and would fill every menu and table that shows them
NAME_MAX = 500

# colours for labels added on import, cycled
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


@dataclass
class AttributeDef:
    name: str
    type: str = "choice"
    values: list[str] = field(default_factory=list)
    default: Any = None  # explicit TOML ``default``, written on new spans; None: stays unset
    description: str = ""


@dataclass
class LabelDef:
    name: str
    color: str = "#888888"
    key: str = ""
    description: str = ""
    attributes: list[AttributeDef] = field(default_factory=list)


@dataclass
class LayerDef:
    name: str
    description: str = ""
    labels: list[LabelDef] = field(default_factory=list)
    attributes: list[AttributeDef] = field(default_factory=list)
    enabled: bool = True
    scope: str = "span"  # "span": labels for passages; "document": for a document as a whole

    @property
    def document_level(self) -> bool:
        return self.scope == "document"

    def label(self, name: str) -> LabelDef | None:
        return next((lab for lab in self.labels if lab.name == name), None)


@dataclass
class RelationTypeDef:
    name: str
    description: str = ""
    # allowed ends as "layer:label" or "layer" (any label of it); empty = anything
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    attributes: list[AttributeDef] = field(default_factory=list)

    def allows(self, src_layer: str, src_label: str, tgt_layer: str, tgt_label: str) -> bool:
        return _matches(self.source, src_layer, src_label) and _matches(
            self.target, tgt_layer, tgt_label)


def _matches(allowed: list[str], layer: str, label: str) -> bool:
    return not allowed or layer in allowed or f"{layer}:{label}" in allowed


@dataclass
class Tagset:
    name: str = "custom"
    description: str = ""
    layers: list[LayerDef] = field(default_factory=list)
    relation_types: list[RelationTypeDef] = field(default_factory=list)

    def layer(self, name: str) -> LayerDef | None:
        return next((lay for lay in self.layers if lay.name == name), None)

    def label(self, layer: str, label: str) -> LabelDef | None:
        lay = self.layer(layer)
        return lay.label(label) if lay else None

    def relation_type(self, name: str) -> RelationTypeDef | None:
        return next((r for r in self.relation_types if r.name == name), None)

    def attributes_for(self, layer: str, label: str) -> list[AttributeDef]:
        """Attributes a span of ``layer:label`` may carry: the layer's, then the label's."""
        lay = self.layer(layer)
        if lay is None:
            return []
        lab = lay.label(label)
        return list(lay.attributes) + (list(lab.attributes) if lab else [])

    def ensure_label(self, layer: str, label: str, *, scope: str = "span") -> bool:
        """Add ``layer:label`` if missing (a missing layer with ``scope``); True when something
        was added."""
        lay = self.layer(layer)
        if lay is not None and lay.label(label) is not None:
            return False
        checked_name(layer, "a layer")
        checked_name(label, f"a label of layer {layer[:30]!r}")
        if lay is None:
            lay = LayerDef(name=layer, scope=scope)
            self.layers.append(lay)
        if lay.label(label) is not None:
            return False
        n = sum(len(x.labels) for x in self.layers)
        lay.labels.append(LabelDef(name=label, color=PALETTE[n % len(PALETTE)]))
        return True

    def named(self) -> Iterator[tuple[str, str]]:
        """(name, what it names) for every layer, label, attribute and relation type."""
        for lay in self.layers:
            yield lay.name, "a layer"
            for lab in lay.labels:
                yield lab.name, f"a label of layer {lay.name[:30]!r}"
                for attr in lab.attributes:
                    yield attr.name, f"an attribute of {lay.name[:30]}:{lab.name[:30]}"
            for attr in lay.attributes:
                yield attr.name, f"an attribute of layer {lay.name[:30]!r}"
        for rt in self.relation_types:
            yield rt.name, "a relation type"
            for attr in rt.attributes:
                yield attr.name, f"an attribute of relation type {rt.name[:30]!r}"

    def check_names(self, known: Tagset | None = None) -> None:
        """:class:`TagsetError` when a name is longer than :data:`NAME_MAX` (a tagset built in
        code or in the editor, not read from a file, which :func:`tagset_from_dict` checks);
        names ``known`` has already pass (a project stored before the bound keeps working)."""
        old = {name for name, _ in known.named()} if known is not None else set()
        for name, what in self.named():
            if name not in old:
                checked_name(name, what)

    def ensure_relation_type(self, name: str) -> bool:
        if self.relation_type(name) is not None:
            return False
        checked_name(name, "a relation type")
        self.relation_types.append(RelationTypeDef(name=name))
        return True

    def to_dict(self) -> dict[str, Any]:
        out = _strip_none(asdict(self))
        for layer in out.get("layers", []):  # the default scope is not written (older readers)
            if layer.get("scope") == "span":
                del layer["scope"]
        return out

    def to_toml(self) -> str:
        import tomli_w

        return tomli_w.dumps(self.to_dict())


def _strip_none(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [_strip_none(v) for v in obj]
    return obj


def _tables(d: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    """``d[key]`` as a list of tables (``[[key]]`` in TOML); [] when absent."""
    value = d.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise TagsetError(f"{key!r} of {where} must be a list of tables ([[{key}]]), "
                          f"not {_shown(value)}")
    return value


def _text(d: dict[str, Any], key: str, where: str, default: str = "") -> str:
    value = d.get(key, default)
    if not isinstance(value, str):
        raise TagsetError(f"{key!r} of {where} must be a string, not {_shown(value)}")
    return value


def _name(d: dict[str, Any], what: str) -> str:
    if "name" not in d:
        raise TagsetError(f"{what} has no name")
    name = d["name"]
    if not isinstance(name, str) or not name:
        raise TagsetError(f"the name of {what} must be a non-empty string, not {_shown(name)}")
    return checked_name(name, what)


def checked_name(name: str, what: str) -> str:
    """``name``, or :class:`TagsetError` when it is longer than :data:`NAME_MAX`."""
    if len(name) > NAME_MAX:
        raise TagsetError(f"the name of {what} is {len(name):,} characters long (at most "
                          f"{NAME_MAX}): {name[:30]!r}…")
    return name


def _strings(d: dict[str, Any], key: str, where: str) -> list[str]:
    value = d.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TagsetError(f"{key!r} of {where} must be a list of strings, not {_shown(value)}")
    return list(value)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _attr(d: dict[str, Any], where: str) -> AttributeDef:
    name = _name(d, f"an attribute of {where}")
    what = f"attribute {name!r} of {where}"
    a = AttributeDef(name=name, type=_text(d, "type", what, "choice"),
                     values=_strings(d, "values", what), default=d.get("default"),
                     description=_text(d, "description", what))
    if a.type not in ATTRIBUTE_TYPES:
        raise TagsetError(f"attribute {a.name!r} of {where} has unknown type {a.type!r} "
                          f"(expected one of {', '.join(ATTRIBUTE_TYPES)})")
    if a.type in ("choice", "multi") and not a.values:
        raise TagsetError(f"attribute {a.name!r} of {where} is a {a.type} without values")
    return a


def tagset_from_dict(data: dict[str, Any]) -> Tagset:
    """Build and validate a tagset; raises :class:`TagsetError` naming the problem (a field of
    the wrong type included: ``layers = 5``, a number as a name…)."""
    if not isinstance(data, dict):
        raise TagsetError("a tagset must be a table")
    ts = Tagset(name=_text(data, "name", "the tagset", "custom"),
                description=_text(data, "description", "the tagset"))
    keys: dict[str, str] = {}
    for ld in _tables(data, "layers", "the tagset"):
        lname = _name(ld, "a layer")
        where = f"layer {lname!r}"
        enabled = ld.get("enabled", True)
        if not isinstance(enabled, bool):
            raise TagsetError(f"'enabled' of {where} must be true or false, not "
                              f"{_shown(enabled)}")
        scope = ld.get("scope", "span")
        if scope not in SCOPES:
            raise TagsetError(f"'scope' of {where} must be \"span\" or \"document\", not "
                              f"{_shown(scope)}")
        layer = LayerDef(name=lname, description=_text(ld, "description", where),
                         enabled=enabled, scope=scope,
                         attributes=[_attr(a, where) for a in _tables(ld, "attributes", where)])
        if ts.layer(layer.name):
            raise TagsetError(f"layer {layer.name!r} is defined twice")
        for bd in _tables(ld, "labels", where):
            bname = _name(bd, f"a label of layer {layer.name!r}")
            bwhere = f"label {bname!r}"
            lab = LabelDef(name=bname, color=_text(bd, "color", bwhere, "#888888"),
                           key=_text(bd, "key", bwhere),
                           description=_text(bd, "description", bwhere),
                           attributes=[_attr(a, bwhere)
                                       for a in _tables(bd, "attributes", bwhere)])
            if layer.label(lab.name):
                raise TagsetError(f"label {lab.name!r} is defined twice in layer {layer.name!r}")
            if lab.key:
                if lab.key in keys:
                    raise TagsetError(f"key {lab.key!r} is used by both {keys[lab.key]} and "
                                      f"{layer.name}:{lab.name}")
                keys[lab.key] = f"{layer.name}:{lab.name}"
            layer.labels.append(lab)
        ts.layers.append(layer)
    rel_key = "relation_types" if "relation_types" in data or "relations" not in data \
        else "relations"
    for rd in _tables(data, rel_key, "the tagset"):
        rname = _name(rd, "a relation type")
        where = f"relation {rname!r}"
        ts.relation_types.append(RelationTypeDef(
            name=rname, description=_text(rd, "description", where),
            source=_strings(rd, "source", where), target=_strings(rd, "target", where),
            attributes=[_attr(a, where) for a in _tables(rd, "attributes", where)]))
    return ts


def load_tagset(path: str | Path) -> Tagset:
    """Read a tagset TOML file."""
    p = Path(path)
    if p.exists() and not p.is_file():
        raise TagsetError("is not a regular file", path=p)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TagsetError("tagset file not found", path=p) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TagsetError(f"not a valid TOML tagset: {exc}", path=p) from None
    except RecursionError:
        raise TagsetError("not a valid TOML tagset: nested too deeply", path=p) from None
    except ValueError as exc:  # an integer over 4,300 digits
        raise TagsetError(f"not a valid TOML tagset: {str(exc).split(';')[0]}",
                          path=p) from None
    except OSError as exc:
        raise TagsetError(f"cannot read the tagset file: {exc.strerror}", path=p) from None
    try:
        return tagset_from_dict(data)
    except TagsetError as exc:
        raise TagsetError(exc.message, path=p) from None


def default_tagset() -> Tagset:
    """The bundled default tagset (stance, hedging, attribution, rhetoric)."""
    from annotator.core.resources import resource_path

    return load_tagset(resource_path("tagsets", "default.toml"))
