"""Accepting suggestions as one undo step of the workspace, with their provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.core.model import Span
from annotator.core.undo import Edit
from annotator.nlp import recommend
from annotator.nlp.suggest import Suggestion

if TYPE_CHECKING:
    from annotator.core.project import Project


@dataclass
class AcceptSuggestions(Edit):
    """Accepted suggestions of one document as one undo step, with their provenance."""

    document: int
    chosen: list[Suggestion]
    attributes: list[dict[str, Any]]
    spans: list[Span] = field(default_factory=list)

    @property
    def text(self) -> str:
        n = len(self.chosen)
        return f"accept {n} suggestion{'s' if n != 1 else ''}"

    def apply(self, project: Project) -> None:
        if self.spans:  # redo: exactly the spans the first apply added, under their keys
            keys = {(s.layer, s.label, s.fragments) for s in self.spans}
            chosen = [s for s in self.chosen
                      if (s.layer, s.label, ((s.start, s.end),)) in keys]
            by_key = {(s.layer, s.label, s.fragments): s for s in self.spans}
            self.spans = recommend.write_accepted(
                project, self.document, chosen,
                [by_key[(s.layer, s.label, ((s.start, s.end),))].attributes for s in chosen],
                pks=[by_key[(s.layer, s.label, ((s.start, s.end),))].pk for s in chosen])
        else:
            self.spans = recommend.write_accepted(project, self.document, self.chosen,
                                                  self.attributes)

    def revert(self, project: Project) -> None:
        project.delete_spans([s.pk for s in self.spans])
