"""Where things are: the repository's folders, its pages, programs and notebook pages, where a
page lands in the built site, and the two Kerases every program runs under."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
OUTPUTS = SNIPPETS / "output"
# Training steps as factories for the training-step check: `(model, step, batch)`, each file's
# EXPECTED verdicts (tests/programs/step_checks.py runs them).
STEPS = SNIPPETS / "steps"
STEP_OUTPUTS = OUTPUTS / "steps"
# Notebook pages: jupytext percent-format scripts, executed at every build.
NOTEBOOKS = DOCS / "experiments"
CHECKS = ROOT / "checks"  # the published package (its own pyproject.toml)
PACKAGE = CHECKS / "src" / "weight_decay_checks"
RESULTS = ROOT / "test-results"  # screenshots, Lighthouse reports, traces: not committed

# The two Kerases every program runs under: the environment that selects each for `tf.keras`.
KERASES = {
    "keras3": {"TF_USE_LEGACY_KERAS": "0"},
    "tf-keras": {"TF_USE_LEGACY_KERAS": "1"},
}


def pages() -> list[Path]:
    """Every Markdown page (docs/**/*.md)."""
    return sorted(DOCS.rglob("*.md"))


def snippets() -> list[Path]:
    """Every program a page shows (snippets/*.py)."""
    return sorted(SNIPPETS.glob("*.py"))


def step_programs() -> list[Path]:
    """Every training-step program (snippets/steps/*.py)."""
    return sorted(STEPS.glob("*.py"))


def notebooks() -> list[Path]:
    """Every notebook page (docs/experiments/*.py)."""
    return sorted(NOTEBOOKS.glob("*.py"))


def relative(path: Path) -> str:
    """A repository file as a page or a box names it: `snippets/NAME.py`."""
    return path.resolve().relative_to(ROOT).as_posix()


def page_url(source: Path) -> str:
    """The address of a page (Markdown or notebook) relative to the site's root: '' for the
    home page, 'faq/', 'experiments/choosing_wd/'."""
    rel = source.relative_to(DOCS).with_suffix("").as_posix()
    return "" if rel == "index" else rel.removesuffix("/index") + "/"


def built_page(site: Path, source: Path) -> Path:
    """The HTML file a page (Markdown or notebook) becomes in a built site."""
    return site / page_url(source) / "index.html"
