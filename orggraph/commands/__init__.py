"""The commands of ``orggraph``, one module each, named after the command (``import_`` for
``import``, a Python keyword).

Each module defines its command function and ``register(app)``, which adds it to the typer app;
:mod:`orggraph.cli` calls them in the order ``orggraph --help`` lists them. What the commands share
(the error guard, writing the result, loading with progress, the common options, exit codes) is in
:mod:`orggraph.commands._common`; a command module imports nothing from another command module.
A module imports only typer, the standard library and ``_common`` at the top, and everything heavy
inside its command, so that ``orggraph --version`` stays fast.
"""
