"""Every snippet runs as a reader would run it, under each Keras, and prints its recorded output.

A changed number fails here with a diff; `make record` rewrites the recorded outputs.
"""

from __future__ import annotations

import pytest

from tests.snippet_runner import KERASES, TIMEOUT_S, compare, expected_path, run_snippet, snippet_files

SNIPPETS = snippet_files()


def test_there_are_snippets():
    assert SNIPPETS, "snippets/ holds no *.py file"


@pytest.mark.parametrize("keras", KERASES)
@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.stem for s in SNIPPETS])
def test_snippet_prints_recorded_output(snippet, keras):
    expected = expected_path(snippet, keras)
    assert expected.exists(), f"no recorded output for {snippet.name}: run `make record`"
    run = run_snippet(snippet, keras, timeout=TIMEOUT_S)
    assert run.returncode == 0, f"{snippet.name} [{keras}] exited {run.returncode}:\n{run.stderr[-4000:]}"
    diff = compare(expected.read_text(), run.stdout)
    assert diff is None, (
        f"{snippet.name} [{keras}] printed something other than {expected.name} "
        f"(numbers may differ by one unit in their last printed digit):\n{diff}\n"
        "If the change is intended, run `make record` and review the diff."
    )
