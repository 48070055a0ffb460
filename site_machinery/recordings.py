"""What each program printed, kept beside the programs, and the one function that checks a new
run against it or records it.

The naming rule, for every kind of recorded output: `FOLDER/NAME.txt`, or, where the Kerases
print different things and the recording may differ by Keras, one file per Keras,
`FOLDER/NAME.keras3.txt` and `FOLDER/NAME.tf-keras.txt` (pages show both):

* a snippet `snippets/NAME.py`: `snippets/output/NAME[.KERAS].txt`;
* a notebook page `docs/experiments/NAME.py`: `snippets/output/notebooks/NAME.txt`, what it
  prints under Keras 3 (the Keras the build runs it under; tf-keras must print the same);
* a run of the checks package that a page shows: `snippets/output/checks/NAME.txt`;
* a run of the training-step check over snippets/steps (a Markdown table, one per Keras, JAX
  and cluster): `snippets/output/steps/NAME.md`, names in STEP_RUNS.

`Recording.settle` is the single code path of `make record` and of the suite (as in
pydantic's docs tests): the same function, in mode "record" (rewrite the files) or "check"
(compare, by the rule of `compare`, and say what differs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from site_machinery.compare import compare
from site_machinery.paths import KERASES, OUTPUTS, ROOT, STEP_OUTPUTS, notebooks, snippets

NOTEBOOK_OUTPUTS = OUTPUTS / "notebooks"
PACKAGE_OUTPUTS = OUTPUTS / "checks"
# Runs of `python -m weight_decay_checks` that pages show: name -> (arguments, exit status).
PACKAGE_RUNS = {
    "run": ((), 0),
    "mutant-half_l2": (("--mutant", "half_l2", "--only", "penalty_gradient_is_2_wd_w"), 1),
    "mutants": (("--mutants",), 0),
    # The training-step check (docs/check-your-training-step.md): its verdicts, and the
    # reader's loop as posted (run from the repository's root, where the file is).
    "verdicts": (("check", "--verdicts"), 0),
    "check-reader-loop": (("check", "snippets/steps/reader_train_epoch_ch3.py:as_posted"), 1),
}
# Runs of tests/programs/step_checks.py the page "Check your own training step" shows.
STEP_RUNS = ("keras3", "tf-keras", "jax", "multiworker-keras3", "multiworker-tf-keras")
HOW_TO_RECORD = "run `make record` (or `python -m tools.record NAME`) and review the diff"


def _named(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


@dataclass(frozen=True)
class Recording:
    folder: Path
    name: str
    per_keras: bool = True  # False: one file, whatever each Keras prints
    suffix: str = ".txt"  # ".md": a Markdown table a page shows as a table, not as code

    @classmethod
    def of_snippet(cls, snippet: Path) -> Recording:
        return cls(OUTPUTS, snippet.stem)

    @classmethod
    def of_notebook(cls, notebook: Path) -> Recording:
        return cls(NOTEBOOK_OUTPUTS, notebook.stem, per_keras=False)

    @classmethod
    def of_package_run(cls, name: str) -> Recording:
        return cls(PACKAGE_OUTPUTS, name, per_keras=False)

    @classmethod
    def of_step_run(cls, name: str) -> Recording:
        return cls(STEP_OUTPUTS, name, per_keras=False, suffix=".md")

    def shared(self) -> Path:
        return self.folder / f"{self.name}{self.suffix}"

    def own(self, keras: str) -> Path:
        return self.folder / f"{self.name}.{keras}{self.suffix}"

    def candidates(self) -> list[Path]:
        """Every file this recording may be kept in."""
        return [self.shared(), *(self.own(k) for k in KERASES)] if self.per_keras else [self.shared()]

    def files(self) -> list[Path]:
        """The files it is kept in now."""
        return [p for p in self.candidates() if p.exists()]

    def path(self, keras: str) -> Path:
        """The file a run under `keras` is compared with."""
        own = self.own(keras)
        return own if self.per_keras and own.exists() else self.shared()

    def settle(self, printed: dict[str, str], mode: Literal["check", "record"]) -> list[str]:
        """`printed`: what the program printed, by Keras. "check": one readable problem per
        Keras whose output differs from its recording (none when all match). "record": rewrite
        the recording from `printed` (one file when every Keras printed the same, else one per
        Keras; stale files removed) and return no problem."""
        if mode == "record":
            self._record(printed)
            return []
        problems = []
        for keras, text in printed.items():
            recorded = self.path(keras)
            if not recorded.exists():
                problems.append(f"{self.name} [{keras}]: no recording ({_named(recorded)}): {HOW_TO_RECORD}")
                continue
            diff = compare(recorded.read_text(), text)
            if diff is not None:
                problems.append(
                    f"{self.name} [{keras}] printed something other than {_named(recorded)} "
                    f"(site_machinery/compare.py says how strictly numbers compare):\n{diff}\n"
                    f"If the change is intended, {HOW_TO_RECORD}."
                )
        return problems

    def _record(self, printed: dict[str, str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.files():
            old.unlink()
        texts = set(printed.values())
        if len(texts) == 1 or not self.per_keras:
            self.shared().write_text(printed.get("keras3", next(iter(printed.values()))))
        else:
            for keras, text in printed.items():
                self.own(keras).write_text(text)


def every_recording() -> list[Recording]:
    """The recordings of every snippet, notebook page and package run the pages show."""
    return [
        *map(Recording.of_snippet, snippets()),
        *map(Recording.of_notebook, notebooks()),
        *map(Recording.of_package_run, PACKAGE_RUNS),
        *map(Recording.of_step_run, STEP_RUNS),
    ]


def stale_files() -> list[Path]:
    """Recorded outputs that belong to no program (a program renamed or removed)."""
    kept = {p for r in every_recording() for p in r.candidates()}
    folders = {OUTPUTS, NOTEBOOK_OUTPUTS, PACKAGE_OUTPUTS, STEP_OUTPUTS}
    return sorted(
        p for folder in folders for p in [*folder.glob("*.txt"), *folder.glob("*.md")] if p not in kept
    )
