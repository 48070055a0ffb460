"""Every snippet runs as a reader would run it, under each Keras, and prints its recorded output.

"As a reader would": `python snippets/NAME.py`, in a fresh copy of an interpreter that has
imported TensorFlow and the Keras once (site_machinery/forkserver.py, proved equivalent in
test_forkserver.py), or fresh where programs.FRESH says so. The recorded outputs come from
fresh interpreters (`make record`), through the same `Recording.settle` this test calls.
"""

from __future__ import annotations

import pytest

from site_machinery.paths import KERASES, snippets
from site_machinery.programs import Program
from site_machinery.recordings import Recording

SNIPPETS = snippets()


def test_there_are_snippets():
    assert SNIPPETS, "snippets/ holds no *.py file"


@pytest.mark.parametrize("keras", KERASES)
@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.stem for s in SNIPPETS])
def test_snippet_prints_recorded_output(snippet, keras, runner):
    run = runner.run(Program.file(snippet), keras)
    assert run.returncode == 0, run.failure()
    problems = Recording.of_snippet(snippet).settle({keras: run.stdout}, mode="check")
    assert not problems, "\n".join(problems)
