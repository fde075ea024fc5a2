"""One query engine for the command line, the concordance and the dashboard (no Qt).

The language is described in :mod:`annotator.core.query.parser`; :func:`run_query` streams the
hits of a query over a project, one document chunk at a time.
"""

from annotator.core.query.engine import CONTEXT, Hit, compile_query, run_query
from annotator.core.query.parser import QueryError, parse

__all__ = ["CONTEXT", "Hit", "QueryError", "compile_query", "parse", "run_query"]
