"""The fork server (site_machinery/forkserver.py) runs a program as `python PROGRAM` does.

The snippet tests rely on it, so it is proved here: a program sees the same interpreter both
ways, nothing a program changes reaches the next one, failures and exit codes are those of a
fresh run, a timeout ends the program and what it started, and the programs declared to run
fresh (`FRESH`) are exactly those that must.
"""

from __future__ import annotations

import ast
import json
import subprocess
import textwrap

import pytest

from site_machinery import paths
from site_machinery.paths import ROOT
from site_machinery.programs import Program, Runner, imported_modules, kerases_for

PROBE = Program.file("tests/programs/interpreter_state.py")
PROBE_MODULE = "tests.programs.interpreter_state"
JAX_PROBE = Program.file("tests/programs/jax_interpreter_state.py")  # forked from the "jax" server
# (the probe, the Keras setting it runs under): each kind of fork server.
PROBES = {"keras3": (PROBE, "keras3"), "tf-keras": (PROBE, "tf-keras"), "jax": (JAX_PROBE, "keras3")}
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


@pytest.mark.parametrize("kind", PROBES)
def test_a_program_sees_what_a_fresh_interpreter_shows_it(kind, runner, fresh):
    """argv, sys.path, __main__, cwd, stdin, flags, warning filters, environment, the Keras (or
    the JAX backend), dtype policy, devices, threads and the third-party modules loaded: all
    equal, in each kind of fork server."""
    program, keras = PROBES[kind]
    probe = Program.file(program.path, "an-argument")
    fresh_state, forked_state = state(fresh.run(probe, keras)), state(runner.run(probe, keras))
    assert without_draws(forked_state) == without_draws(fresh_state)
    if kind == "jax":
        assert fresh_state["backend"] == "jax"
    else:
        assert fresh_state["keras"].split(".")[0] == ("keras" if kind == "keras3" else "tf_keras")


def test_a_module_sees_what_python_m_shows_it(runner, fresh):
    """The same for `python -m MODULE` with this repository on the path (how the distributed
    checks run)."""
    probe = Program.of_module(PROBE_MODULE, "an-argument")
    fresh_state, forked_state = state(fresh.run(probe, "keras3")), state(runner.run(probe, "keras3"))
    assert without_draws(forked_state) == without_draws(fresh_state)
    assert fresh_state["argv"][0] == str(PROBE.source) and fresh_state["path0"] == str(ROOT)


@pytest.mark.parametrize("kind", PROBES)
def test_nothing_a_program_changes_reaches_the_next(kind, runner):
    """After a program changed the dtype policy, floatx, seeds, the environment, a module,
    sys.path, warning filters, tf.function mode and the working directory, the next program
    sees what the first one saw; unseeded draws differ from run to run, as in fresh runs."""
    program, keras = PROBES[kind]
    before = state(runner.run(program, keras))
    changed = runner.run(Program.file(program.path, "--change"), keras)
    assert changed.returncode == 0, changed.stderr[-3000:]
    after = state(runner.run(program, keras))
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
        runner.run(Program.file(path), "keras3", timeout=1)
    leftovers = subprocess.run(
        ["pgrep", "-f", "time.sleep\\(60\\)"], capture_output=True, text=True
    ).stdout.split()
    assert not leftovers, f"processes left behind: {leftovers}"
    assert runner.run(PROBE, "keras3").returncode == 0, "the server works after a timeout"


PRELOADED = {"tensorflow", "keras", "tf_keras"}


def environment_set_first(source: str) -> str | None:
    """What a program's own top-level code does before it first imports TensorFlow or a Keras:
    "jax" if it sets KERAS_BACKEND (to choose the JAX backend), "other" if it sets any other
    environment variable, None if neither (code inside functions runs later, or elsewhere)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import) and {a.name.split(".")[0] for a in node.names} & PRELOADED:
            return None
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PRELOADED:
            return None
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if isinstance(target, ast.Subscript) and ast.unparse(target.value) == "os.environ":
                return "jax" if ast.unparse(target.slice) == "'KERAS_BACKEND'" else "other"
        if isinstance(node, ast.Expr) and "os.environ" in ast.unparse(node):  # update(), putenv()
            return "other"
    return None


def test_the_declarations_list_exactly_the_programs_that_set_the_environment_first():
    """ON_JAX and FRESH (site_machinery/programs.py) are declared by hand; this reads every
    program's top-level code and checks them: a program that chooses the JAX backend before
    importing Keras is forked from the JAX server, one that sets any other environment first
    runs fresh, and no other program is in either list."""
    programs = [*paths.snippets(), *paths.notebooks(), *sorted((ROOT / "tests" / "programs").glob("*.py"))]
    programs = [p for p in programs if not p.name.startswith(("test_", "__"))]
    found = {paths.relative(p): environment_set_first(p.read_text()) for p in programs}
    on_jax = {p for p, kind in found.items() if kind == "jax"}
    fresh = {p for p, kind in found.items() if kind == "other"}
    assert on_jax, "the check found no JAX program at all: it is broken"
    declared_jax = {paths.relative(p) for p in programs if Program.file(p).on_jax}
    declared_fresh = {paths.relative(p) for p in programs if Program.file(p).fresh}
    assert declared_jax == on_jax, f"ON_JAX: {sorted(declared_jax)}; must be: {sorted(on_jax)}"
    assert declared_fresh == fresh, f"FRESH: {sorted(declared_fresh)}; must be: {sorted(fresh)}"


def test_a_jax_program_forked_from_a_tensorflow_server_would_fail(runner):
    """The reason for ON_JAX: a JAX snippet sets KERAS_BACKEND before importing Keras; forked
    from a server that imported Keras with TensorFlow's backend, it fails."""
    jax_snippet = Program.file("snippets/jax_penalty_from_stateless_call_fixed.py")
    assert jax_snippet.on_jax
    assert runner.run(jax_snippet, "keras3").returncode == 0
    forked = runner.server("keras3").start(jax_snippet.argv)
    forked.wait(120)
    _, stderr = forked.communicate()
    assert forked.returncode == 1 and "ResourceVariable" in stderr, stderr[-2000:]


def test_the_programs_run_once_are_exactly_those_without_tf_keras():
    """WITHOUT_TF_KERAS (site_machinery/programs.py) lists the snippets that run under one Keras
    setting: each of them imports neither TensorFlow nor tf-keras, and every snippet that imports
    neither is listed (so none runs twice for nothing)."""
    once = {paths.relative(s) for s in paths.snippets() if kerases_for(s) == ["keras3"]}
    without = {
        paths.relative(s)
        for s in paths.snippets()
        if not imported_modules(s.read_text()) & {"tensorflow", "tf_keras"}
    }
    assert once and once == without, f"run once: {sorted(once)}; import no tf.keras: {sorted(without)}"


def test_with_package_lists_exactly_the_snippets_that_import_the_package():
    """WITH_PACKAGE (site_machinery/programs.py) puts the checks package on a program's import
    path, as a reader's `pip install` does: it lists every snippet that imports it, and no
    other (the others must run with nothing but TensorFlow and Keras)."""
    importing = {
        paths.relative(p)
        for p in paths.snippets()
        if "weight_decay_checks" in imported_modules(p.read_text())
    }
    declared = {paths.relative(p) for p in paths.snippets() if Program.file(p).with_package}
    assert importing, "no snippet imports the package: the test is broken"
    assert declared == importing, f"WITH_PACKAGE: {sorted(declared)}; must be: {sorted(importing)}"
