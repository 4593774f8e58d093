"""The first opening of a document, read ahead in a second process while the browser starts.

A document opened before has its tree drawn from its stored outline (sketch.py) before
anything heavy is imported. The first time there is none: the parsers must be imported and
the document parsed before there is a tree to draw (from the parse's rows, before Polars is
imported: `read`), and in one process that work and Textual's start take turns on one
interpreter lock. So when the machine has a
second core, `start` (called by `budgettui` before it imports Textual) hands that work to a
second process: it parses the document, stores its outline and says so on a pipe, then runs
the checks and stores the parsed document in the cache, as the browser's own reading would.
Meanwhile this process imports Textual and paints. Its reading thread waits for the outline
(`Ahead.outline`) and draws the tree, imports Polars while the other process checks, then
waits for it to end (`Ahead.finish`) and reads the document from the cache, as for a
document opened before.

On Linux the second process is a fork of this one, made before Textual is imported (no
thread is running yet); elsewhere, or when a fork is not safe, it is
`python -m budgettui.tui.ahead FILE`. A second process that fails, or a cache folder it
cannot write, only means that the reading thread reads the document itself, the same way
(`read`: the tree from the parse's rows, then the frames), as it does on one core. A document
that cannot be loaded is thus read twice before its error shows: its reason is the reading
thread's to tell.
"""

from __future__ import annotations

import contextlib
import gc
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from budgettui import cache
from budgettui.jobs import default_jobs
from budgettui.tui import sketch

if TYPE_CHECKING:
    from collections.abc import Callable

    from budgettui.document import Document
    from budgettui.parsed import ParsedDocument
    from budgettui.tui.groups import Placed

#: What the second process writes on its pipe once the outline is stored.
OUTLINE_STORED = b"o"


@dataclass(slots=True)
class Ahead:
    """One document's sketch as found at start, and the second process reading it, if any:
    its pipe (read end) and its pid, or its Popen."""

    sketch: sketch.Sketch
    pipe: int | None = None
    pid: int | None = None
    popen: subprocess.Popen | None = None

    def outline(self) -> sketch.Sketch:
        """(In the reading thread.) The sketch once the second process has stored the outline
        (read again: it holds that outline), or has ended without it."""
        if self.pipe is not None and os.read(self.pipe, 1) == OUTLINE_STORED:
            self.sketch = sketch.at(self.sketch.path)
        return self.sketch

    def finish(self) -> None:
        """(In the reading thread.) Wait until the second process has ended: the document
        is in the cache then, if it could be stored."""
        if self.pipe is None:
            return
        with contextlib.suppress(OSError):
            while os.read(self.pipe, 4096):
                pass
        os.close(self.pipe)
        self.pipe = None
        with contextlib.suppress(ChildProcessError):
            if self.pid is not None:
                os.waitpid(self.pid, 0)
        if self.popen is not None:
            self.popen.wait()


def start(sources: list[Path]) -> Ahead | None:
    """The sources' sketch (None unless they are one regular file); when nothing is stored
    for it yet and a second core is there, with the process that reads the document ahead."""
    found = sketch.find(sources)
    if found is None:
        return None
    ahead = Ahead(found)
    if found.root is not None or default_jobs() < 2:
        return ahead
    with contextlib.suppress(OSError):  # no process to spare: the reading thread parses it
        if _may_fork():
            ahead.pipe, ahead.pid = _fork(sources[0])
        else:
            # -P: the current folder is not put first on the import path (a `budgettui` folder
            # there is not this package)
            ahead.popen = subprocess.Popen([sys.executable, "-P", "-m", __name__, os.fspath(sources[0])],
                                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                           stderr=subprocess.DEVNULL)
            assert ahead.popen.stdout is not None
            ahead.pipe = os.dup(ahead.popen.stdout.fileno())
            ahead.popen.stdout.close()
    return ahead


def _may_fork() -> bool:
    """Whether a fork of this process is safe: on Linux, with no other thread running (one
    could hold a lock the fork would keep locked for ever) and Polars not imported (its
    thread pool does not survive a fork). So: `budgettui` starting, not a test or a script."""
    threading = sys.modules.get("threading")
    return (sys.platform == "linux" and "polars" not in sys.modules
            and (threading is None or threading.active_count() == 1))


def _fork(source: Path) -> tuple[int, int]:
    """Fork the second process (it never returns from here); its pipe's read end and pid."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return read_end, pid
    code = 1
    try:
        os.close(read_end)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # nothing of it reaches the terminal
            os.dup2(null, fd)
        code = _second(source, write_end)
    finally:
        os._exit(code)


def read(source: Path, shown: Callable[[sketch.Sketch], object]) -> ParsedDocument | None:
    """Read one document opened for the first time as the browser would: its outline, built
    from the parse's rows before Polars is imported, is stored beside its cache entry and
    handed to `shown`; then its frames are made, checked and stored in the cache. The parsed
    document, or None when it cannot be loaded (the reading that follows says why)."""
    from budgettui.document import parse_document
    from budgettui.sources import InputError, read_source

    try:
        text = read_source(source)
        document = parse_document(text, source.stem)  # the doc_id parse_documents gives one source
    except InputError:
        return None
    root = cache.cache_dir()
    entry = cache.entry_path(root, text.sha256, source.stem, source.name)
    found = outline_of(document)
    shown(sketch.store(sketch.beside(entry), found.title, found.root))
    from budgettui import model
    from budgettui.document import frames_of

    parsed = model.check_and_store(frames_of(source.stem, document), entry, text.sha256)
    cache.prune(root, cache.limit_bytes())
    return parsed


def _second(source: Path, pipe: int) -> int:
    """The second process: `read`, saying on `pipe` when the outline is stored; 0 when read."""
    gc.disable()  # a short life that makes objects by the hundred thousand and hardly any garbage
    return 0 if read(source, lambda _: os.write(pipe, OUTLINE_STORED)) is not None else 1


def outline_of(document: Document) -> Placed:
    """A parsed document's outline, placed: the one the browser builds from its frames
    (loading.arrive), here from its rows, without Polars."""
    from budgettui.tui import outline
    from budgettui.tui.groups import COVER_LINES, placed

    doc = document.rows["documents"][0]
    root = outline.document(outline.parsed_rows(document.rows), doc)
    return placed(root, doc, [line.text for line in document.lines[:COVER_LINES]])


if __name__ == "__main__":
    sys.exit(_second(Path(sys.argv[1]), sys.stdout.fileno()))
