"""Mistakes on the command line, written the way mistakes in an org file are.

click reports a bad option in its own words (``Invalid value for '--format' / '-f': Value error,
'html' is not one of ...``) under a usage banner; orggraph says which option, echoes the value and
what to write instead, on one ``error:`` line, and exits 2::

    error: --format: 'html' is not a format; choose text, json or markdown
    error: --top: '-1' is below 0; use 0 or more

:class:`OrgGroup` is the app's click group: it runs a command with click's own error handling off
and writes each usage error through :func:`describe`. Its commands' help shows a metavar (``N``,
``TITLE``) where typer would show a Python type (``<list[str]>``, ``<int range>``).
"""

from __future__ import annotations

import difflib
import re
import sys
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

try:  # typer 0.2x carries its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - an older typer on top of click
    from click import exceptions as click_errors  # type: ignore[no-redef]

__all__ = ["OrgGroup", "describe"]

_EXIT_USAGE = 2
# what people type for a choice that has another name here
_ALIASES = {"html": "markdown", "md": "markdown", "txt": "text", "yml": "yaml", "png": "graph"}
_CHOICES = re.compile(r"is not one of ((?:'[^']*'(?:, )?)+)")


def _said(choices: list[str]) -> str:
    """``text, json or markdown``."""
    return choices[0] if len(choices) == 1 else f"{', '.join(choices[:-1])} or {choices[-1]}"


def _option_name(param: Any) -> str:
    """``--format`` for an option (its long name), ``ORG`` for an argument."""
    opts = list(getattr(param, "opts", None) or [])
    if getattr(param, "param_type_name", "") == "argument":
        return str(getattr(param, "metavar", None) or (opts[0] if opts else "?")).upper()
    longs = [o for o in opts if o.startswith("--")]
    return str((longs or opts or ["?"])[0])


def _noun(name: str) -> str:
    return name.lstrip("-").replace("-", " ").lower()


def _bad_value(exc: Any) -> str:
    """What is wrong with the value of ``exc.param``, in orggraph's words."""
    name = _option_name(exc.param)
    cause = exc.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    first: dict[str, Any] = errors[0] if errors else {}
    kind = first.get("type", "")
    given = first.get("input")
    shown = f"'{given}'" if given is not None else "the value"
    message = exc.message
    choices = _CHOICES.search(message)
    if choices:
        options = re.findall(r"'([^']*)'", choices.group(1))
        value = given if given is not None else message.split("'")[1]
        near = difflib.get_close_matches(str(value).lower(), options, n=1, cutoff=0.6)
        near += [c for c in options if c.startswith(str(value).lower()[:2]) and c not in near]
        alias = _ALIASES.get(str(value).lower())
        near = ([alias] if alias in options else []) + near
        guess = f"did you mean '{near[0]}'? " if near else ""
        return f"'{value}' is not a {_noun(name)}; {guess}choose {_said(options)}"
    if kind == "int_parsing":
        return f"{shown} is not a whole number"
    if kind == "float_parsing":
        return f"{shown} is not a number"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(first.get("ctx", {}).values()), "?")
        words = {
            "greater_than_equal": (f"is below {bound}", f"use {bound} or more"),
            "greater_than": (f"is not above {bound}", f"use a number above {bound}"),
            "less_than_equal": (f"is above {bound}", f"use {bound} or less"),
            "less_than": (f"is not below {bound}", f"use a number below {bound}"),
        }[kind]
        return f"{shown} {words[0]}; {words[1]}"
    # our own callbacks already speak orggraph; older click says "'x' is not a valid integer."
    return str(message).rstrip(".")


def describe(exc: Exception) -> str:
    """The ``error: ...`` line (and hint) for a usage error raised by click."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "orggraph"
    hint = f"\n  hint: '{where} -h' lists what it takes"
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        return f"error: {_option_name(exc.param)}: missing{hint}"
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        return f"error: {_option_name(exc.param)}: {_bad_value(exc)}"
    if isinstance(exc, click_errors.BadOptionUsage) and "requires an argument" in exc.message:
        return f"error: {exc.option_name}: needs a value{hint}"
    if isinstance(exc, click_errors.NoSuchOption):
        near = difflib.get_close_matches(exc.option_name, exc.possibilities or [], n=1)
        guess = f"; did you mean {near[0]}?" if near else ""
        return f"error: {exc.option_name}: no such option for '{where}'{guess}{hint}"
    message = exc.message if isinstance(exc, click_errors.ClickException) else str(exc)
    message = message.rstrip(".")
    extra = re.fullmatch(r"Got unexpected extra arguments? ?\(?s?\)? \((.*)\)", message)
    if extra:
        return f"error: unexpected argument: {extra.group(1)}{hint}"
    return f"error: {message[:1].lower()}{message[1:]}{hint}"


class _Argument(TyperArgument):
    """A positional parameter: its help shows the metavar alone, not a Python type."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _Option(TyperOption):
    """An option: its help shows its metavar or choices, else its name (``--title TITLE``)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        if self.metavar is not None or self.type_descriptor.is_choice:
            return super().display_type_rich(ctx)
        return (self.name or "value").rstrip("_").upper()


class OrgGroup(TyperGroup):
    """The ``orggraph`` group: usage errors in orggraph's words, help without Python types."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        for param in getattr(command, "params", ()):
            if type(param) is TyperArgument:
                param.__class__ = _Argument
            elif type(param) is TyperOption:
                param.__class__ = _Option
        return command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone = kwargs.pop("standalone_mode", True)
        kwargs["standalone_mode"] = False
        if not standalone:
            return super().main(*args, **kwargs)
        try:
            result = super().main(*args, **kwargs)
        except click_errors.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click_errors.UsageError as exc:
            sys.stderr.write(describe(exc) + "\n")
            sys.stderr.flush()
            sys.exit(_EXIT_USAGE)
        except click_errors.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except typer.Abort:
            sys.stderr.write("Aborted!\n")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)
