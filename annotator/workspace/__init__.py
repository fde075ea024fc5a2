"""The workspace model without Qt: project, shown document, selection, undo history, and the
:class:`Changes` every operation returns (see :mod:`annotator.workspace.model`)."""

from annotator.workspace.changes import NOTHING, Changes, SpanDelta, changes_of
from annotator.workspace.model import Refused, Workspace, span_order

__all__ = ["NOTHING", "Changes", "Refused", "SpanDelta", "Workspace", "changes_of", "span_order"]
