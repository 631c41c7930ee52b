"""Commands that live in their own modules, one per workflow (``generate``, ``diff``, ...).

Each module here defines ``register(app)``, which adds its commands to the ``orggraph`` typer app;
:mod:`orggraph.cli` calls it for every module of this package, in name order. A module imports only
typer and the standard library at the top, and everything heavy inside its commands, so that
``orggraph --version`` stays fast.
"""
