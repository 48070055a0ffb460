"""The fork server (site_machinery/forkserver.py) runs a program as `python PROGRAM` does.

The snippet tests rely on it, so it is proved here: a program sees the same interpreter both
ways, nothing a program changes reaches the next one, failures and exit codes are those of a
fresh run, a timeout ends the program and what it started, and the programs declared to run
fresh (`FRESH`) are exactly those that must.
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap

import pytest

from site_machinery import paths
from site_machinery.paths import KERASES, ROOT
from site_machinery.programs import Program, Runner

PROBE = Program.file("tests/programs/interpreter_state.py")
PROBE_MODULE = "tests.programs.interpreter_state"
UNSEEDED = ("numpy_draw", "python_draw")


@pytest.fixture(scope="module")
def fresh():
    """Every program in a new interpreter, as `python PROGRAM` from a shell."""
    runner = Runner(fresh=True)
    yield runner
    runner.close()


def state(run) -> dict:
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def without_draws(report: dict) -> dict:
    return {key: value for key, value in report.items() if key not in UNSEEDED}


@pytest.mark.parametrize("keras", KERASES)
def test_a_program_sees_what_a_fresh_interpreter_shows_it(keras, runner, fresh):
    """argv, sys.path, __main__, cwd, stdin, flags, warning filters, environment, the Keras,
    dtype policy, devices, threads and the third-party modules loaded: all equal."""
    probe = Program.file(PROBE.path, "an-argument")
    fresh_state, forked_state = state(fresh.run(probe, keras)), state(runner.run(probe, keras))
    assert without_draws(forked_state) == without_draws(fresh_state)
    assert fresh_state["keras"].split(".")[0] == ("keras" if keras == "keras3" else "tf_keras")


def test_a_module_sees_what_python_m_shows_it(runner, fresh):
    """The same for `python -m MODULE` with this repository on the path (how the distributed
    checks run)."""
    probe = Program.of_module(PROBE_MODULE, "an-argument")
    fresh_state, forked_state = state(fresh.run(probe, "keras3")), state(runner.run(probe, "keras3"))
    assert without_draws(forked_state) == without_draws(fresh_state)
    assert fresh_state["argv"][0] == str(PROBE.source) and fresh_state["path0"] == str(ROOT)


@pytest.mark.parametrize("keras", KERASES)
def test_nothing_a_program_changes_reaches_the_next(keras, runner):
    """After a program changed the dtype policy, floatx, seeds, the environment, a module,
    sys.path, warning filters, tf.function mode and the working directory, the next program
    sees what the first one saw; unseeded draws differ from run to run, as in fresh runs."""
    before = state(runner.run(PROBE, keras))
    changed = runner.run(Program.file(PROBE.path, "--change"), keras)
    assert changed.returncode == 0, changed.stderr[-3000:]
    after = state(runner.run(PROBE, keras))
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
def test_failures_and_exit_codes_are_those_of_a_fresh_run(name, tmp_path, runner, fresh):
    path = tmp_path / f"{name}.py"
    path.write_text(PROGRAMS[name])
    fresh_run, forked = fresh.run(Program.file(path), "keras3"), runner.run(Program.file(path), "keras3")
    assert (forked.returncode, forked.stdout) == (fresh_run.returncode, fresh_run.stdout)
    last_line = lambda run: (run.stderr.strip().splitlines() or [""])[-1]  # noqa: E731
    assert last_line(forked) == last_line(fresh_run)


def test_a_timeout_ends_the_program_and_what_it_started(tmp_path, runner):
    path = tmp_path / "sleeps.py"
    path.write_text(
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "time.sleep(60)\n"
    )
    with pytest.raises(subprocess.TimeoutExpired):
        runner.run(Program.file(path), "keras3", timeout=3)
    leftovers = subprocess.run(
        ["pgrep", "-f", "time.sleep\\(60\\)"], capture_output=True, text=True
    ).stdout.split()
    assert not leftovers, f"processes left behind: {leftovers}"
    assert runner.run(PROBE, "keras3").returncode == 0, "the server works after a timeout"


# Writing the environment before TensorFlow or a Keras is imported: what FRESH must list.
ENV_WRITE = re.compile(r"os\.environ\[[^]]+\]\s*=[^=]|os\.environ\.(?:update|setdefault)\(|os\.putenv\(")
PRELOADED_IMPORT = re.compile(r"^\s*(?:import|from)\s+(?:tensorflow|keras|tf_keras)\b", re.M)


def sets_environment_before_importing(source: str) -> bool:
    env_write, tf_import = ENV_WRITE.search(source), PRELOADED_IMPORT.search(source)
    return env_write is not None and (tf_import is None or env_write.start() < tf_import.start())


def test_fresh_lists_exactly_the_programs_that_set_the_environment_first():
    """FRESH (site_machinery/programs.py) is declared by hand; this reads every program's
    source and checks the declaration: no program that sets the environment before importing
    TensorFlow or a Keras is forked, and none is run fresh without that reason."""
    programs = [*paths.snippets(), *paths.notebooks(), *sorted((ROOT / "tests" / "programs").glob("*.py"))]
    programs = [p for p in programs if not p.name.startswith(("test_", "__"))]
    must = {paths.relative(p) for p in programs if sets_environment_before_importing(p.read_text())}
    declared = {paths.relative(p) for p in programs if Program.file(p).fresh}
    assert must, "the check found no program at all: the pattern is broken"
    assert declared == must, f"declared fresh: {sorted(declared)}; must be: {sorted(must)}"


def test_a_program_that_sets_the_environment_first_would_fail_forked(runner):
    """The reason for FRESH: a JAX snippet sets KERAS_BACKEND before importing Keras; forked from
    a server that imported Keras with TensorFlow's backend, it fails."""
    jax_snippet = Program.file("snippets/jax_penalty_from_stateless_call_fixed.py")
    assert jax_snippet.fresh
    assert runner.run(jax_snippet, "keras3").returncode == 0
    forked = runner.server("keras3").start(jax_snippet.argv)
    forked.wait(120)
    _, stderr = forked.communicate()
    assert forked.returncode == 1 and "ResourceVariable" in stderr, stderr[-2000:]
