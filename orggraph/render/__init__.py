"""Renderers: pure functions from the graph and the :class:`~orggraph.analysis.report.Report` to
text, an HTML page, a matplotlib Figure or an export format. Only the CLI writes files or prints."""
