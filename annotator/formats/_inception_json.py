"""INCEpTION's ``exportedproject.json``: written from Annotator's layers, and turned back into a
type system the way INCEpTION generates one from a project's layers.

Not a format: the registry skips modules whose name starts with ``_``. Field names follow the
``exportedproject.json`` INCEpTION 33 writes (its test archive
``inception-app-webapp/src/test/resources/test-project-with-recommenders.zip``).
"""

from __future__ import annotations

from typing import Any

from annotator.core.tagset import Tagset
from annotator.formats._xmi_layers import FRAGMENTS_FEATURE, LINK_FEATURE, Schema

TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
#: Annotator status → INCEpTION source document state and annotation document state.
SOURCE_STATE = {"new": "NEW", "in_progress": "ANNOTATION_IN_PROGRESS",
                "done": "ANNOTATION_FINISHED"}
USER_STATE = {"new": "NEW", "in_progress": "IN_PROGRESS", "done": "FINISHED"}
#: INCEpTION's primitive features: String, Boolean, Integer, Float (NumberFeatureSupport).
INCEPTION_RANGE = {"uima.cas.Double": "uima.cas.Float", "uima.cas.Long": "uima.cas.String"}


def _tagset(name: str, tags: list[str], description: str = "") -> dict[str, Any]:
    return {"name": name, "description": description or None, "language": None,
            "tags": [{"tag_name": t, "tag_description": None} for t in tags],
            "create_tag": True}


def _feature(project: str, name: str, ui_name: str, rng: str, *, tags: dict[str, Any] | None
             = None, description: str | None = None, link: str | None = None,
             rank: int = 0) -> dict[str, Any]:
    return {"name": name, "tag_set": tags, "uiName": ui_name, "type": rng, "enabled": True,
            "visible": True, "include_in_hover": False, "required": False, "remember": False,
            "hideUnconstraintFeature": False, "description": description,
            "project_name": project, "multi_value_mode": "ARRAY" if link else "NONE",
            "link_mode": "WITH_ROLE" if link else "NONE", "link_type_name": link,
            "link_type_role_feature_name": "role" if link else None,
            "link_type_target_feature_name": "target" if link else None, "traits": None,
            "curatable": True, "rank": rank}


def _layer(project: str, name: str, ui_name: str, kind: str, features: list[dict[str, Any]],
           *, attach: str | None = None, description: str = "",
           built_in: bool = False) -> dict[str, Any]:
    return {"name": name, "features": features, "uiName": ui_name, "type": kind,
            "description": description or None, "enabled": not built_in, "built_in": built_in,
            "readonly": built_in, "attach_type": {"name": attach} if attach else None,
            "attach_feature": None, "allow_stacking": not built_in, "cross_sentence": True,
            "show_hover": True, "anchoring_mode": "CHARACTERS",
            "overlap_mode": "NO_OVERLAP" if built_in else "ANY_OVERLAP",
            "validation_mode": "NEVER" if built_in else "ALWAYS",
            "lock_to_token_offset": False, "multiple_tokens": True, "project_name": project,
            "linked_list_behavior": False, "on_click_javascript_action": None, "traits": None}


def project_json(project: str, schema: Schema, tagset: Tagset,
                 documents: list[tuple[str, str]],
                 annotations: list[tuple[str, str, str]], stamp: int) -> dict[str, Any]:
    """``exportedproject.json`` for ``documents`` ((file name, status)) and ``annotations``
    ((file name, user, status)); ``stamp`` is the time in milliseconds INCEpTION records."""
    tag_sets: list[dict[str, Any]] = []
    layers: list[dict[str, Any]] = [_layer(project, TOKEN, "Token", "span", [], built_in=True)]
    for sdef in schema.spans.values():
        lay = tagset.layer(sdef.layer)
        ts = _tagset(f"{sdef.layer} labels", sdef.labels, lay.description if lay else "")
        tag_sets.append(ts)
        feats = [_feature(project, "label", "label", "uima.cas.String", tags=ts,
                          description="Annotator's label"),
                 _feature(project, "note", "note", "uima.cas.String", rank=1),
                 _feature(project, "annotator", "annotator", "uima.cas.String", rank=2)]
        for i, f in enumerate(sdef.features.values()):
            feats.append(_feature(project, f.name, f.ui_name, INCEPTION_RANGE.get(f.range,
                                                                                  f.range),
                                  description="JSON" if f.is_json else None, rank=3 + i))
        if sdef.fragments_type:
            feats.append(_feature(project, FRAGMENTS_FEATURE, FRAGMENTS_FEATURE, sdef.type_name,
                                  description="further fragments of a discontinuous span",
                                  link=sdef.fragments_type, rank=len(feats)))
        if sdef.link_type:
            roles = _tagset(f"{sdef.layer} relations", sdef.link_roles)
            tag_sets.append(roles)
            feats.append(_feature(project, LINK_FEATURE, LINK_FEATURE, "uima.tcas.Annotation",
                                  tags=roles, link=sdef.link_type, rank=len(feats)))
        layers.append(_layer(project, sdef.type_name, sdef.layer,
                             "document-metadata" if sdef.document else "span", feats,
                             description=lay.description if lay else ""))
    for rdef in schema.relations.values():
        attach = schema.spans[rdef.layer].type_name
        ts = _tagset(f"{rdef.layer} relation types", rdef.labels)
        tag_sets.append(ts)
        feats = [_feature(project, "label", "label", "uima.cas.String", tags=ts),
                 _feature(project, "attributes", "attributes", "uima.cas.String",
                          description="JSON", rank=1),
                 _feature(project, "Governor", "Source", f"rel-source:{attach}"),
                 _feature(project, "Dependent", "Target", f"rel-target:{attach}")]
        layers.append(_layer(project, rdef.type_name, f"{rdef.layer} relation", "relation",
                             feats, attach=attach))
    users = sorted({u for _, u, _ in annotations})
    return {
        "name": project, "slug": None, "description": tagset.description or None,
        "mode": "ANNOTATION", "version": 1,
        "source_documents": [{"name": name, "format": "xmi",
                              "state": SOURCE_STATE.get(status, "NEW"), "timestamp": None,
                              "created": stamp, "updated": stamp}
                             for name, status in documents],
        "annotation_documents": [{"name": name, "user": user,
                                  "state": USER_STATE.get(status, "NEW"), "timestamp": None,
                                  "annotatorState": USER_STATE.get(status, "NEW"),
                                  "annotatorComment": None, "sentence_accessed": 0,
                                  "created": stamp, "updated": stamp}
                                 for name, user, status in annotations],
        "project_permissions": [{"level": "USER", "user": u} for u in users],
        "tag_sets": tag_sets, "layers": layers, "disableExport": False,
        "script_direction": "LTR", "created": stamp, "updated": stamp,
        "anonymous_curation": False,
    }


def typesystem_from_layers(layers: list[dict[str, Any]]) -> Any:
    """A cassis TypeSystem built from a project's ``layers`` as INCEpTION generates it
    (``SpanLayerSupportImpl`` / ``RelationLayerSupportImpl.generateTypes``,
    ``LinkFeatureSupport.generateFeature``): a span layer is an Annotation subtype with one
    feature per primitive feature; a relation layer adds ``Governor``/``Dependent`` typed as its
    attach layer; a link feature is an FSArray of a ``TOP`` type with ``role`` and ``target``."""
    from cassis import TypeSystem

    ts = TypeSystem()
    made: dict[str, Any] = {}
    for lay in layers:
        name = lay.get("name")
        if isinstance(name, str) and name and not ts.contains_type(name) and \
                lay.get("type") in ("span", "relation", "chain", "document-metadata"):
            base = "uima.cas.AnnotationBase" if lay.get("type") == "document-metadata" \
                else "uima.tcas.Annotation"
            made[name] = ts.create_type(name, supertypeName=base,
                                        description=lay.get("description") or None)
    for lay in layers:
        t = made.get(lay.get("name") or "")
        if t is None:
            continue
        attach = (lay.get("attach_type") or {}).get("name") if lay.get("type") == "relation" \
            else None
        if lay.get("type") == "relation":
            rng = attach if attach in made else "uima.tcas.Annotation"
            ts.create_feature(t, "Dependent", rng)
            ts.create_feature(t, "Governor", rng)
        for f in lay.get("features") or []:
            fname, ftype = f.get("name"), f.get("type")
            if not isinstance(fname, str) or not isinstance(ftype, str) or \
                    fname in ("Governor", "Dependent") or t.get_feature(fname) is not None:
                continue
            if f.get("link_mode") == "WITH_ROLE" and f.get("link_type_name"):
                link_name = f["link_type_name"]
                if not ts.contains_type(link_name):
                    link = ts.create_type(link_name, supertypeName="uima.cas.TOP")
                    ts.create_feature(link, f.get("link_type_role_feature_name") or "role",
                                      "uima.cas.String")
                    target = ftype if ftype in made else "uima.tcas.Annotation"
                    ts.create_feature(link, f.get("link_type_target_feature_name") or "target",
                                      target)
                ts.create_feature(t, fname, "uima.cas.FSArray", elementType=link_name)
            elif ftype.startswith("uima.cas."):
                ts.create_feature(t, fname, ftype)
    return ts
