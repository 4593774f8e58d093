"""One-line messages on stderr: `budgettui: …`, safe to print whatever a file is called.

A file name may hold control characters (ESC, newlines) or bytes that are not text; printed
raw they would split a message or drive the terminal, so every message is escaped first.
Light on purpose: the browser's entry point imports it.
"""

from __future__ import annotations

import sys


def escape(text: str) -> str:
    """`text` with every character that is not printable (control characters, line and
    paragraph separators, undecodable bytes kept as surrogates) written as an escape
    (`\\x1b`, `\\n`, `\\u2028`, `\\udcff`); plain spaces and CJK text stay as they are."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape", "backslashreplace").decode("ascii")
        for c in text
    )


def say(message: str) -> None:
    """Print `budgettui: message` on stderr as one line."""
    line = f"budgettui: {escape(message)}\n"
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except UnicodeEncodeError:  # a stderr that cannot show the text: escape the rest too
        sys.stderr.write(line.encode("ascii", "backslashreplace").decode("ascii"))
        sys.stderr.flush()


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 error`, `2 errors` (`words` for an irregular plural)."""
    return f"{count} {word if count == 1 else words or word + 's'}"
