"""Every snippet runs as a reader would run it, under each Keras, and prints its recorded output.

"As a reader would": `python snippets/NAME.py`, in a fresh copy of an interpreter that has
imported TensorFlow and the Keras once (site_machinery/forkserver.py, proved equivalent in
test_forkserver.py), or fresh where programs.FRESH says so. The recorded outputs come from
fresh interpreters (`make record`), through the same `Recording.settle` this test calls. A
program that does not use tf.keras (programs.WITHOUT_TF_KERAS) runs once.
"""

from __future__ import annotations

import pytest

from site_machinery.paths import snippets
from site_machinery.programs import Program, kerases_for
from site_machinery.recordings import Recording

SNIPPETS = snippets()
# Each snippet under each Keras it runs under (one, for those that do not use tf.keras).
RUNS = [(snippet, keras) for snippet in SNIPPETS for keras in kerases_for(snippet)]


def test_there_are_snippets():
    assert SNIPPETS, "snippets/ holds no *.py file"


@pytest.mark.parametrize(("snippet", "keras"), RUNS, ids=[f"{s.stem}-{k}" for s, k in RUNS])
def test_snippet_prints_recorded_output(snippet, keras, runner):
    run = runner.run(Program.file(snippet), keras)
    assert run.returncode == 0, run.failure()
    problems = Recording.of_snippet(snippet).settle({keras: run.stdout}, mode="check")
    assert not problems, "\n".join(problems)
