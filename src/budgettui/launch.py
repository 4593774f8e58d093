"""The `budgettui` command's entry point.

`budgettui [SOURCE...]` browses. That default path starts the browser (browsing.py) without
loading Typer (or Polars: the browser parses in a thread after its first paint); every other
command goes through the Typer app in cli.py. Nothing imports this module but the entry point.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from budgettui.messages import say

COMMANDS = ("browse", "tables", "show", "check", "export", "text", "survey", "cache")


def _utf8_streams() -> None:
    """Write UTF-8 whatever the locale says (PYTHONIOENCODING=latin-1, LC_ALL=C): the data
    is Chinese, and a stdout that cannot encode it would end in a traceback. File names that
    are not text go out as their bytes (stdout) or escaped (stderr)."""
    for stream, errors in ((sys.stdout, "surrogateescape"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding.lower().replace("-", "") != "utf8"
                                        or stream.errors != errors):
            with contextlib.suppress(ValueError, OSError):  # already written to, not a real stream
                reconfigure(encoding="utf-8", errors=errors)


def _mistyped(word: str) -> str | None:
    """The command a word that is neither a command nor an existing path was meant to be."""
    import difflib

    if os.path.lexists(word) or "/" in word or os.sep in word or "." in word:
        return None
    found = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
    return found[0] if found else None


def main(argv: list[str] | None = None) -> None:
    """`budgettui [SOURCE...]` means `budgettui browse [SOURCE...]`; the rest is cli.py's.
    Ctrl-C at any point (the first imports take a while) ends with one line and exit 130."""
    try:
        _main(argv)
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)


def _main(argv: list[str] | None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in COMMANDS and (meant := _mistyped(args[0])):
        say(f"no command or file {args[0]!r}; did you mean 'budgettui {meant}'?")
        sys.exit(2)
    if not args or args[0] == "-" or (args[0] not in COMMANDS and not args[0].startswith("-")):
        from budgettui.browsing import browse

        sys.exit(browse([Path(a) if a else a for a in args]))  # type: ignore[misc]
    _utf8_streams()
    from budgettui.cli import app

    try:
        app(args=args, prog_name="budgettui")
    except BrokenPipeError:
        # The reader went away (`| head`): silence the flush at exit and leave quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
