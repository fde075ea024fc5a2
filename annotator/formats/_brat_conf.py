"""brat's ``annotation.conf`` on export: declared from what is written, or the kept one.

Not a format: the registry skips modules whose name starts with ``_``.

Without a kept configuration, ``annotation.conf`` declares the tagset's labels (of the exported
layers) and everything the ``.ann`` files use. With one (brat's files kept in the documents'
metadata on import), every kept file is written back as it was, and the types, relations,
events and attributes used that its ``annotation.conf`` does not declare are added at the end
of their sections, so brat shows every annotation without an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
from annotator.formats._brat_names import encode_name, encode_value, entity_type
from annotator.formats._brat_read import ID_KEY, ROLES_KEY

CONF_FILES = ("annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf")
GENERATED_MARK = "# Written by Annotator."
SECTIONS = ("entities", "relations", "events", "attributes")


@dataclass
class _Attr:
    types: set[str] = field(default_factory=set)
    values: list[str] = field(default_factory=list)
    binary: bool = True


class ConfPlan:
    """What the configuration must declare; filled while the ``.ann`` lines are made."""

    def __init__(self, tagset: Tagset, layers: set[str] | None) -> None:
        self.tagset, self.layers = tagset, layers
        self.entities: dict[str, None] = {}  # in order of first use
        self.declared_entities: list[str] = []
        self.events: dict[str, dict[str, set[str]]] = {}
        self.relations: dict[str, tuple[list[str], set[str], set[str]]] = {}
        self.attrs: dict[str, _Attr] = {}
        self.used_attrs: set[str] = set()
        for layer in tagset.layers:
            if layers is not None and layer.name not in layers:
                continue
            for label in layer.labels:
                etype = entity_type(layer.name, label.name)
                self.declared_entities.append(etype)
                for attr in tagset.attributes_for(layer.name, label.name):
                    plan = self.attrs.setdefault(encode_name(attr.name), _Attr())
                    plan.types.add(etype)
                    plan.binary &= attr.type == "bool"
                    if attr.type == "choice":
                        for v in attr.values:
                            if encode_value(v) not in plan.values:
                                plan.values.append(encode_value(v))

    def plan_binary(self, docs: Iterable[CorpusDocument], layers: set[str] | None) -> None:
        """An attribute is binary when every value given is ``True`` (and the tagset agrees)."""
        for doc in docs:
            for span in doc.spans:
                if layers is None or span.layer in layers:
                    for name, value in span.attributes.items():
                        if name != ID_KEY:
                            self.attrs.setdefault(encode_name(name), _Attr()).binary &= \
                                value is True
            for rel in doc.relations:
                for name, value in rel.attributes.items():
                    if name not in (ID_KEY, ROLES_KEY):
                        self.attrs.setdefault(encode_name(name), _Attr()).binary &= value is True

    def is_binary(self, name: str) -> bool:
        return self.attrs[name].binary

    def entity(self, etype: str) -> None:
        self.entities[etype] = None

    def event(self, etype: str) -> None:
        self.events.setdefault(etype, {})

    def argument(self, etype: str, role: str, target_type: str) -> None:
        self.events.setdefault(etype, {}).setdefault(role, set()).add(target_type)

    def relation(self, rtype: str, roles: list[str], source: str, target: str) -> None:
        _, src, tgt = self.relations.setdefault(rtype, (roles, set(), set()))
        src.add(source)
        tgt.add(target)

    def attribute(self, name: str, owner_type: str, value: str | None) -> None:
        plan = self.attrs.setdefault(name, _Attr())
        plan.types.add(owner_type)
        self.used_attrs.add(name)
        if value is not None and value not in plan.values:
            plan.values.append(value)

    # ------------------------------------------------------------------ the lines
    def _relation_lines(self, used_only: bool) -> dict[str, str]:
        entities = self.declared_entities + [e for e in self.entities
                                            if e not in self.declared_entities]

        def ends(allowed: list[str]) -> set[str]:
            if not allowed:  # anything: declared from what is used
                return set()
            out: set[str] = set()
            for item in allowed:
                layer_name, _, label = item.partition(":")
                lay = self.tagset.layer(layer_name)
                if lay is not None:
                    out |= {entity_type(layer_name, lab.name) for lab in lay.labels
                            if not label or lab.name == label}
            return out & set(entities)

        declared: dict[str, tuple[list[str], set[str], set[str]]] = {}
        if not used_only:
            for rt in self.tagset.relation_types:
                declared[encode_name(rt.name)] = (["Arg1", "Arg2"], ends(rt.source),
                                                  ends(rt.target))
        for name, (roles, src, tgt) in self.relations.items():
            _, s, t = declared.setdefault(name, (roles, set(), set()))
            s |= src
            t |= tgt
        return {name: f"{name}\t{roles[0]}:{'|'.join(sorted(src))}, "
                      f"{roles[1]}:{'|'.join(sorted(tgt))}"
                for name, (roles, src, tgt) in declared.items() if src and tgt}

    def lines(self, used_only: bool) -> dict[str, dict[str, str]]:
        """Section -> declared name -> its line."""
        entities = list(self.entities) if used_only else self.declared_entities + [
            e for e in self.entities if e not in self.declared_entities]
        events = {}
        for etype, roles in self.events.items():
            args = ", ".join(f"{role}:{'|'.join(sorted(types))}"
                             for role, types in roles.items())
            events[etype] = f"{etype}\t{args}" if args else etype
        attributes = {}
        for name, plan in self.attrs.items():
            if not plan.types or (used_only and name not in self.used_attrs):
                continue
            line = f"{name}\tArg:{'|'.join(sorted(plan.types))}"
            if not plan.binary:
                if not plan.values:
                    continue
                line += f", Value:{'|'.join(encode_name(v) for v in plan.values)}"
            attributes[name] = line
        return {"entities": {e: e for e in entities if e not in self.events},
                "relations": self._relation_lines(used_only), "events": events,
                "attributes": attributes}


def _generated(plan: ConfPlan) -> str:
    sections = plan.lines(used_only=False)
    relations = [*sections["relations"].values(),
                 "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"]
    return "\n".join([
        f"{GENERATED_MARK} Names are written as they are, but a white-space character or one",
        "# of , | = : ; < > ! # is written -<hex code point>-; the type of a label of one of",
        "# Annotator's own layers is <layer>--<label> unless the label alone reads back.",
        "[entities]", *sections["entities"].values(), "", "[relations]", *relations, "",
        "[events]", *sections["events"].values(), "",
        "[attributes]", *sections["attributes"].values(), ""])


def _declared(conf: str) -> tuple[dict[str, set[str]], dict[str, int], list[str]]:
    """Names declared per section of ``conf``, the line after each section's last entry."""
    lines = conf.split("\n")
    names: dict[str, set[str]] = {}
    ends: dict[str, int] = {}
    section = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            ends[section] = i + 1
            names.setdefault(section, set())
            continue
        if section is None or not stripped or stripped.startswith("#"):
            continue
        names[section].add(stripped.lstrip("!").split("\t")[0].split(" ")[0])
        ends[section] = i + 1
    return names, ends, lines


def _merged(conf: str, plan: ConfPlan) -> str:
    names, ends, lines = _declared(conf)
    wanted = plan.lines(used_only=True)
    inserts: list[tuple[int, list[str]]] = []
    appended: list[str] = []
    for section in SECTIONS:
        missing = [line for name, line in wanted[section].items()
                   if name not in names.get(section, set())]
        if not missing:
            continue
        missing.insert(0, "# added by Annotator: used in the exported documents")
        if section in ends:
            inserts.append((ends[section], missing))
        else:
            appended += ["", f"[{section}]", *missing]
    for at, new in sorted(inserts, reverse=True):
        lines[at:at] = new
    text = "\n".join(lines)
    if appended:
        text = text.rstrip("\n") + "\n" + "\n".join(appended) + "\n"
    return text


def conf_files(plan: ConfPlan, kept: dict[str, str]) -> dict[str, str]:
    """The configuration files to write: the kept ones (``annotation.conf`` completed), or a
    new ``annotation.conf``."""
    if "annotation.conf" not in kept:
        return {**kept, "annotation.conf": _generated(plan)}
    return {**kept, "annotation.conf": _merged(kept["annotation.conf"], plan)}
