"""The SQL that makes a PostgreSQL database a shared project: roles, grants, row-level security
policies, change notifications. Run by ``annotator server init`` as the database's owner; every
statement may run again (a second init re-applies them, e.g. after an upgrade).

Who may do what is decided by the server, not the client:

* ``annotator_curator`` (a group role): reads and writes everything: tagset, documents,
  assignments, everyone's spans, gold.
* ``annotator_coder`` (a group role): reads the tagset, the settings and the documents assigned
  to them (no assignment at all: every document); reads their own spans and relations, and, when
  the project is not blind, the others' on those documents; writes only rows whose
  ``annotator`` is their own login name, on those documents; changes only the status of those
  documents and of their own assignments. Nothing else: no tagset, no settings, no documents,
  no assignment of anyone.

Schema 2's tables follow the same rules: ``doc_annotation`` and ``rejected_suggestion`` are
a coder's own rows like spans; ``span_origin`` belongs to its span's annotator;
``recommender_model``: a coder stores and replaces only models named ``<recommender>@<login>``
in their own login name (:mod:`annotator.nlp.model_names`) and reads the shared ones (no ``@``),
their own, and, when the project is not blind, the others' (in blind mode a model learned from
another coder's spans would tell what they annotated);
``assignment`` rows are read (own only, in blind mode) and their status changed by their coder.

A login role is a member of one of the two (``server add-user``); the annotator recorded on a
span is the login name, and the policies compare it with ``current_user``.
"""

from __future__ import annotations

CHANNEL = "annotator_changes"
CURATOR, CODER = "annotator_curator", "annotator_coder"
BLIND_KEY = "team_blind"

ROLES = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{CURATOR}') THEN
    CREATE ROLE {CURATOR} NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{CODER}') THEN
    CREATE ROLE {CODER} NOLOGIN; END IF;
END $$"""

# helper functions run as their owner (SECURITY DEFINER) so that a policy may look at tables
# the caller cannot read in full; the caller's name is passed in, never taken from inside
FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION team_visible(doc integer, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT NOT EXISTS (SELECT 1 FROM assignment)
      OR EXISTS (SELECT 1 FROM assignment a WHERE a.document_id = doc AND a.annotator = who)
$$;
CREATE OR REPLACE FUNCTION team_blind() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce((SELECT value FROM project_meta WHERE key = '{BLIND_KEY}'), '1') = '1'
$$;
CREATE OR REPLACE FUNCTION team_notify() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  r jsonb := to_jsonb(coalesce(NEW, OLD));
BEGIN
  -- what changed and where, never the content: a coder in blind mode may receive it
  PERFORM pg_notify('{CHANNEL}', json_build_object(
    'table', TG_TABLE_NAME, 'op', lower(TG_OP),
    'document', coalesce(r ->> 'document_id', CASE WHEN TG_TABLE_NAME = 'document'
                                                   THEN r ->> 'id' END),
    'by', session_user::text)::text);
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION team_visible(integer, name), team_blind(), team_notify() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION team_visible(integer, name), team_blind() TO {CODER}, {CURATOR};
"""

READ_ONLY_TABLES = ("project_meta", "tagset_layer", "tagset_label", "tagset_relation_type")
MODELS = "recommender_model"  # a coder's own models are named "<recommender>@<login>"
OF_OWN_SPAN = ("span_origin",)  # rows keyed by a span: the span's owner's
NOTIFY_TABLES = ("document", "span", "relation", "assignment", "project_meta", "tagset_layer",
                 "tagset_label", "tagset_relation_type", "doc_annotation")


def grants(tables: list[str], own_rows: set[str]) -> list[str]:
    """Privileges on every table (``tables``: all of the project's, schema 2's included)."""
    own = sorted(own_rows) + [t for t in (*OF_OWN_SPAN, MODELS) if t in tables]
    out = [f"GRANT USAGE ON SCHEMA public TO {CODER}, {CURATOR}",
           f"REVOKE ALL ON {', '.join(tables)} FROM PUBLIC",
           f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(tables)} TO {CURATOR}",
           f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {CURATOR}",
           f"GRANT SELECT ON {', '.join(tables)} TO {CODER}",
           f"GRANT INSERT, UPDATE, DELETE ON {', '.join(own)} TO {CODER}",
           f"GRANT UPDATE (status, modified) ON document, assignment TO {CODER}"]
    out += [f"GRANT USAGE, SELECT ON SEQUENCE {t}_id_seq TO {CODER}"
            for t in sorted(own_rows) + [MODELS] if t in tables]
    return out


def policies(tables: list[str], own_rows: set[str]) -> list[str]:
    """Row-level security on every table; the curator's policy lets them do anything.
    ``own_rows``: the tables whose rows carry ``annotator`` and ``document_id`` (span,
    relation, and schema 2's annotation tables): a coder's own rows there."""
    out = []
    for t in tables:
        out += [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
                f"DROP POLICY IF EXISTS curator_all ON {t}",
                f"CREATE POLICY curator_all ON {t} TO {CURATOR} USING (true) WITH CHECK (true)"]
        for name in ("coder_read", "coder_insert", "coder_update", "coder_delete"):
            out.append(f"DROP POLICY IF EXISTS {name} ON {t}")
    visible_doc = "team_visible(id, current_user)"
    for t in tables:
        if t in READ_ONLY_TABLES:
            out.append(f"CREATE POLICY coder_read ON {t} FOR SELECT TO {CODER} USING (true)")
        elif t == "document":
            out += [f"CREATE POLICY coder_read ON document FOR SELECT TO {CODER} "
                    f"USING ({visible_doc})",
                    f"CREATE POLICY coder_update ON document FOR UPDATE TO {CODER} "
                    f"USING ({visible_doc}) WITH CHECK ({visible_doc})"]
        elif t == "assignment":
            mine = "annotator = current_user"
            out += [f"CREATE POLICY coder_read ON assignment FOR SELECT TO {CODER} "
                    f"USING ({mine} OR NOT team_blind())",
                    f"CREATE POLICY coder_update ON assignment FOR UPDATE TO {CODER} "
                    f"USING ({mine}) WITH CHECK ({mine})"]
        elif t == MODELS:
            mine = "right(name, length(current_user) + 1) = '@' || current_user"
            shared = "strpos(name, '@') = 0"
            out += [f"CREATE POLICY coder_read ON {t} FOR SELECT TO {CODER} "
                    f"USING ({shared} OR {mine} OR NOT team_blind())",
                    f"CREATE POLICY coder_insert ON {t} FOR INSERT TO {CODER} "
                    f"WITH CHECK ({mine})",
                    f"CREATE POLICY coder_update ON {t} FOR UPDATE TO {CODER} "
                    f"USING ({mine}) WITH CHECK ({mine})",
                    f"CREATE POLICY coder_delete ON {t} FOR DELETE TO {CODER} USING ({mine})"]
        elif t in OF_OWN_SPAN:
            seen = "EXISTS (SELECT 1 FROM span s WHERE s.id = span_id)"  # span's RLS applies
            mine = ("EXISTS (SELECT 1 FROM span s WHERE s.id = span_id "
                    "AND s.annotator = current_user)")
            out += [f"CREATE POLICY coder_read ON {t} FOR SELECT TO {CODER} USING ({seen})",
                    f"CREATE POLICY coder_insert ON {t} FOR INSERT TO {CODER} "
                    f"WITH CHECK ({mine})",
                    f"CREATE POLICY coder_update ON {t} FOR UPDATE TO {CODER} "
                    f"USING ({mine}) WITH CHECK ({mine})",
                    f"CREATE POLICY coder_delete ON {t} FOR DELETE TO {CODER} USING ({mine})"]
        elif t in own_rows:
            mine = "annotator = current_user"
            seen = "team_visible(document_id, current_user)"
            out += [f"CREATE POLICY coder_read ON {t} FOR SELECT TO {CODER} "
                    f"USING ({seen} AND ({mine} OR NOT team_blind()))",
                    f"CREATE POLICY coder_insert ON {t} FOR INSERT TO {CODER} "
                    f"WITH CHECK ({mine} AND {seen})",
                    f"CREATE POLICY coder_update ON {t} FOR UPDATE TO {CODER} "
                    f"USING ({mine}) WITH CHECK ({mine} AND {seen})",
                    f"CREATE POLICY coder_delete ON {t} FOR DELETE TO {CODER} USING ({mine})"]
        # any other table: RLS on, no coder policy: a coder sees and changes none of it
    return out


def triggers(tables: list[str], own_rows: set[str]) -> list[str]:
    out = []
    for t in tables:
        if t in NOTIFY_TABLES or t in own_rows:
            out += [f"DROP TRIGGER IF EXISTS team_notify ON {t}",
                    f"CREATE TRIGGER team_notify AFTER INSERT OR UPDATE OR DELETE ON {t} "
                    "FOR EACH ROW EXECUTE FUNCTION team_notify()"]
    return out
