"""The fork server (tests/support/forkserver.py) runs a program as `python PROGRAM` does.

The snippet tests rely on it, so it is proved here: a program sees the same interpreter both
ways, nothing a program changes reaches the next one, failures and exit codes are those of a
fresh run, and a timeout ends the program and what it started.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.support import KERASES, ROOT
from tests.support.run import Run, fits_fork_server, python_env, run_python

PROBE = ROOT / "tests" / "support" / "programs" / "interpreter_state.py"
PROBE_MODULE = "tests.support.programs.interpreter_state"
UNSEEDED = ("numpy_draw", "python_draw")


def state(run) -> dict:
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def without_draws(report: dict) -> dict:
    return {key: value for key, value in report.items() if key not in UNSEEDED}


def fresh_module_run(module: str, keras: str, *args: str) -> Run:
    proc = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=python_env(keras), capture_output=True, text=True
    )
    return Run(PROBE, keras, proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.parametrize("keras", KERASES)
def test_a_program_sees_what_a_fresh_interpreter_shows_it(keras, fork_servers):
    """argv, sys.path, __main__, cwd, stdin, flags, warning filters, environment, the Keras,
    dtype policy, devices, threads and the third-party modules loaded: all equal."""
    fresh = state(run_python(PROBE, keras, "an-argument"))
    forked = state(fork_servers.run(PROBE, keras, "an-argument"))
    assert without_draws(forked) == without_draws(fresh)
    assert fresh["keras"].split(".")[0] == ("keras" if keras == "keras3" else "tf_keras")


def test_a_module_sees_what_python_m_shows_it(fork_servers):
    """The same for `python -m MODULE` (how the distributed checks run)."""
    fresh = state(fresh_module_run(PROBE_MODULE, "keras3", "an-argument"))
    forked = state(fork_servers.run_module(PROBE_MODULE, "keras3", "an-argument"))
    assert without_draws(forked) == without_draws(fresh)
    assert fresh["argv"][0] == str(PROBE) and fresh["path0"] == str(ROOT)


@pytest.mark.parametrize("keras", KERASES)
def test_nothing_a_program_changes_reaches_the_next(keras, fork_servers):
    """After a program changed the dtype policy, floatx, seeds, the environment, a module,
    sys.path, warning filters, tf.function mode and the working directory, the next program
    sees what the first one saw; unseeded draws differ from run to run, as in fresh runs."""
    before = state(fork_servers.run(PROBE, keras))
    changed = fork_servers.run(PROBE, keras, "--change")
    assert changed.returncode == 0, changed.stderr[-3000:]
    after = state(fork_servers.run(PROBE, keras))
    assert without_draws(after) == without_draws(before)
    for draw in UNSEEDED:
        assert after[draw] != before[draw], f"{draw}: two runs drew the same number"


PROGRAMS = {
    "raises": "raise ValueError('bad input')",
    "exits_3": "import sys; sys.exit(3)",
    "exits_with_message": "import sys; sys.exit('a message')",
    "prints_then_raises": "print('partial'); raise KeyError('k')",
    "atexit_and_thread": textwrap.dedent(
        """
        import atexit, threading, time
        atexit.register(lambda: print('atexit ran'))
        threading.Thread(target=lambda: (time.sleep(0.2), print('thread done'))).start()
        """
    ),
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_failures_and_exit_codes_are_those_of_a_fresh_run(name, tmp_path, fork_servers):
    program = tmp_path / f"{name}.py"
    program.write_text(PROGRAMS[name])
    fresh = run_python(program, "keras3")
    forked = fork_servers.run(program, "keras3")
    assert (forked.returncode, forked.stdout) == (fresh.returncode, fresh.stdout)
    last_line = lambda run: (run.stderr.strip().splitlines() or [""])[-1]  # noqa: E731
    assert last_line(forked) == last_line(fresh)


def test_a_timeout_ends_the_program_and_what_it_started(tmp_path, fork_servers):
    program = tmp_path / "sleeps.py"
    program.write_text(
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "time.sleep(60)\n"
    )
    with pytest.raises(subprocess.TimeoutExpired):
        fork_servers.run(program, "keras3", timeout=3)
    leftovers = subprocess.run(
        ["pgrep", "-f", "time.sleep\\(60\\)"], capture_output=True, text=True
    ).stdout.split()
    assert not leftovers, f"processes left behind: {leftovers}"
    assert fork_servers.run(PROBE, "keras3").returncode == 0, "the server works after a timeout"


def test_a_program_that_sets_the_environment_before_importing_runs_fresh(fork_servers):
    """The JAX snippets set KERAS_BACKEND before importing Keras: in a server that has imported
    Keras with TensorFlow's backend they would fail, so they run in a fresh interpreter."""
    jax_snippet = ROOT / "snippets" / "jax_penalty_from_stateless_call_fixed.py"
    assert not fits_fork_server(jax_snippet)
    assert fork_servers.run(jax_snippet, "keras3").returncode == 0
    wrong = fork_servers.run_forked(jax_snippet, "keras3")
    assert wrong.returncode == 1 and "ResourceVariable" in wrong.stderr, wrong.stderr[-2000:]
    assert all(fits_fork_server(p) for p in (PROBE, ROOT / "snippets" / "tutorial_weight_decay.py"))
