"""Every "Verified by" box names evidence that exists and asserts; every snippet proves something,
and every assertion it makes is shown in some box (the boxes are rendered by hooks/verified_by.py,
whose own tests are in tests/hooks/test_verified_by.py)."""

from __future__ import annotations

import pytest

from hooks import verified_by
from hooks.verified_by import check_page, labelled_asserts
from site_machinery.paths import pages, relative, snippets

PAGES = pages()


@pytest.mark.parametrize("source", PAGES, ids=[p.name for p in PAGES])
def test_every_box_names_existing_asserting_evidence(source):
    check_page(source.read_text(), relative(source))


def test_pages_have_boxes():
    assert sum(len(verified_by.boxes(p.read_text())) for p in PAGES) >= 20


@pytest.mark.parametrize("snippet", snippets(), ids=[s.stem for s in snippets()])
def test_every_snippet_ends_in_labelled_assertions(snippet):
    """A snippet is evidence: it asserts what the page says, with a label a box can name."""
    labels = labelled_asserts(snippet.read_text())
    assert labels, f'{snippet.name} has no `assert ..., "label: ..."`: printing is not proof'


def test_every_labelled_assertion_is_named_by_a_box():
    """No orphan evidence: each labelled assertion in snippets/ is shown in some box."""
    named = {(e.path, e.name) for p in PAGES for e in check_page(p.read_text(), p.name)}
    orphans = [
        f"{s.name}#{label}"
        for s in snippets()
        for label in labelled_asserts(s.read_text())
        if (relative(s), label) not in named
    ]
    assert not orphans, "labelled assertions no 'Verified by' box names:\n" + "\n".join(orphans)
