"""Ctrl-C while `budgettui` is still importing (the browser's first imports take a while):
one line on stderr and exit 130, never a traceback (issue 11)."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE

#: Runs the real entry point in a fresh interpreter and sends itself SIGINT (what Ctrl-C
#: sends) the moment `module` is first imported: the interrupt lands inside the imports,
#: every time, however fast or slow the machine is.
DRIVER = """
import os, signal, sys

MODULE = sys.argv[1]

class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == MODULE:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Interrupt())
from budgettui.launch import main
sys.argv = ["budgettui", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize(("module", "args"), [
    ("textual", [str(SAMPLE)]),  # the browser: Textual is imported after the sources are found
    ("budgettui.tui.app", [str(SAMPLE)]),
    ("typer", ["tables", str(SAMPLE)]),  # any other command: Typer and Polars
])
def test_ctrl_c_during_the_first_imports_prints_no_traceback(module, args):
    result = subprocess.run([sys.executable, "-c", DRIVER, module, *args], cwd=ROOT, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr
    assert (result.returncode, result.stderr, result.stdout) == (128 + signal.SIGINT, "budgettui: interrupted\n", "")
