"""Every snippet runs as a reader would run it, under each Keras, and prints its recorded output.

"As a reader would": `python snippets/NAME.py`, each in a fresh copy of an interpreter that has
imported TensorFlow and the Keras once (tests/support/forkserver.py, proved equivalent in
tests/test_forkserver.py); the recorded outputs come from fresh interpreters (`make record`).

A changed number fails here with a diff; `make record` rewrites the recorded outputs.
"""

from __future__ import annotations

import pytest

from tests.support import KERASES, expected_path, snippet_files
from tests.support.compare import compare

SNIPPETS = snippet_files()


def test_there_are_snippets():
    assert SNIPPETS, "snippets/ holds no *.py file"


@pytest.mark.parametrize("keras", KERASES)
@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.stem for s in SNIPPETS])
def test_snippet_prints_recorded_output(snippet, keras, fork_servers):
    expected = expected_path(snippet, keras)
    assert expected.exists(), f"no recorded output for {snippet.name}: run `make record`"
    run = fork_servers.run(snippet, keras)
    assert run.returncode == 0, f"{snippet.name} [{keras}] exited {run.returncode}:\n{run.stderr[-4000:]}"
    diff = compare(expected.read_text(), run.stdout)
    assert diff is None, (
        f"{snippet.name} [{keras}] printed something other than {expected.name} "
        f"(see tests/support/compare.py for how strictly numbers compare):\n{diff}\n"
        "If the change is intended, run `make record` and review the diff."
    )
