"""Workflows built on the model and the analyses: importing edge lists from sheets
(:mod:`~orggraph.workflows.tables`, :mod:`~orggraph.workflows.cells`,
:mod:`~orggraph.workflows.edgelist`).

The modules are imported where they are used, so that loading one workflow never loads another.
"""
