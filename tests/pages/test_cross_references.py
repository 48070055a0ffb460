"""What one page promises about the others: the differences page lists every program that prints
differently under the two Kerases; the pitfall index lists every broken program."""

from __future__ import annotations

from site_machinery.paths import DOCS, KERASES, OUTPUTS, snippets


def test_every_broken_program_is_in_the_pitfall_index():
    """The index at the top of the pitfalls page links every `*_broken.py` program on the site:
    no silent failure shown on some page is missing from the one list of them."""
    text = (DOCS / "pitfalls.md").read_text()
    index = text.split("{#index}", 1)[1].split("\n## ", 1)[0]
    missing = [
        s.name for s in snippets() if s.stem.endswith("_broken") and f"(snippets/{s.name})" not in index
    ]
    assert not missing, f"docs/pitfalls.md#index does not list: {missing}"


def test_every_keras_difference_is_listed():
    """Each snippet whose output differs between the Kerases has a section on the differences page."""
    page = (DOCS / "keras3-vs-tf-keras.md").read_text()
    differing = sorted({p.name.split(".")[0] for p in OUTPUTS.glob(f"*.{next(iter(KERASES))}.txt")})
    missing = [stem for stem in differing if f"{{#{stem}}}" not in page]
    assert not missing, f"docs/keras3-vs-tf-keras.md does not list: {missing}"


def test_every_verdict_of_the_step_check_links_a_section_that_exists():
    """Each verdict the training-step check prints names the page section that explains it
    (weight_decay_checks/verdicts.py): the page is a page of the site and the anchor is one of
    its `{#id}` headings."""
    from weight_decay_checks.verdicts import VERDICTS

    problems = []
    for verdict in VERDICTS.values():
        page, _, anchor = verdict.page.partition("/#")
        source = DOCS / f"{page.rstrip('/')}.md"
        if not source.exists():
            problems.append(f"{verdict.code}: no page {source.name}")
        elif anchor and f"{{#{anchor}}}" not in source.read_text():
            problems.append(f"{verdict.code}: {source.name} has no {{#{anchor}}}")
    assert not problems, "\n".join(problems)
