"""hooks/verified_by.py renders every "Verified by" box from the assertions it names, and stops
the build on a box that names missing or non-asserting evidence, or that is malformed: proved
here on bad input, directly and through a real `mkdocs build`. (That every page's boxes pass:
tests/pages/test_evidence.py.)"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from hooks import verified_by
from hooks.verified_by import EvidenceError, check_page, labelled_asserts
from site_machinery.paths import ROOT

# --- the checker itself, on bad input ---------------------------------------------------------

GOOD = "- snippets/pitfall_list_add_broken.py#loss-has-shape-k"


def box(*lines: str) -> str:
    return '!!! success "Verified by"\n' + "".join(f"    {line}\n" for line in lines)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("- snippets/no_such_program.py#x", "snippets/no_such_program.py does not exist"),
        ("- snippets/pitfall_list_add_broken.py#no-such-label", "has no assert labelled 'no-such-label'"),
        ("- hooks/snippet_downloads.py#anything", "has no labelled assert"),
        (
            "- checks/src/weight_decay_checks/test_properties.py::test_no_such_test",
            "no function 'test_no_such_test'",
        ),
        ("- checks/src/weight_decay_checks/test_properties.py::keras_named", "'keras_named' asserts nothing"),
        ("The program above, run by the tests.", "is not a reference"),
    ],
)
def test_checker_rejects_bad_boxes(line, message):
    page = "Some text.\n\n" + box(GOOD, line)
    with pytest.raises(EvidenceError, match=r"page\.md:3: 'Verified by' box") as caught:
        check_page(page, "page.md")
    assert message in str(caught.value)


MALFORMED = {
    "empty": ('!!! success "Verified by"\n\nThe next paragraph.\n', "an empty 'Verified by' box"),
    "blank line inside": (
        box(GOOD) + "\n    - snippets/no_such_program.py#x\n",
        "a blank line inside the box",
    ),
    "capital B": (box(GOOD).replace("Verified by", "Verified By"), "write it exactly as"),
    "another kind": (box(GOOD).replace("success", "note"), "write it exactly as"),
    "collapsible": (box(GOOD).replace("!!!", "???"), "write it exactly as"),
    "single quotes": (box(GOOD).replace('"Verified by"', "'Verified by'"), "write it exactly as"),
    "a colon": (box(GOOD).replace("Verified by", "Verified by:"), "write it exactly as"),
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_checker_rejects_malformed_boxes(kind):
    """An empty box, a blank line inside one (what follows it would be shown, never checked),
    and a header spelled differently are errors, not boxes that render unchecked."""
    page, message = MALFORMED[kind]
    with pytest.raises(EvidenceError, match=r"page\.md:1: 'Verified by' box") as caught:
        check_page(page, "page.md")
    assert message in str(caught.value)
    with pytest.raises(EvidenceError, match=message):
        verified_by.render(page, "page.md")


def test_a_box_ends_where_its_indentation_ends():
    """The lines after a box (text, another box) are not part of it."""
    page = box(GOOD) + "Text after the box.\n\n" + box(GOOD)
    assert [b.body for b in verified_by.boxes(page)] == [[f"    {GOOD}"], [f"    {GOOD}"]]
    assert "Text after the box." in verified_by.render(page, "page.md")


def test_checker_accepts_good_references_and_renders_the_assertion_text():
    page = box(GOOD, "- checks/src/weight_decay_checks/test_properties.py::test_penalty_gradient_is_2_wd_w")
    (snippet, test) = check_page(page, "page.md")
    assert snippet.text.startswith("with k = 2 regularized kernels")
    assert (
        test.text == "The tape's gradient of the penalty is 2 * wd * W for the kernel, nothing for the bias."
    )
    rendered = verified_by.render(page, "sub/page.md")
    assert "[`snippets/pitfall_list_add_broken.py`](../snippets/pitfall_list_add_broken.py)" in rendered
    assert "assertion `loss-has-shape-k`: with k = 2" in rendered
    assert (
        "[`checks/src/weight_decay_checks/test_properties.py`](../weight_decay_checks/test_properties.py)"
        "`::test_penalty_gradient_is_2_wd_w`" in rendered
    ), "a test is linked to the copy the site publishes"


def test_every_box_ends_with_the_version_matrix_sentence_for_its_evidence():
    """The sentence is site_machinery.matrix.coverage of the box's evidence, linked from the
    page's folder (tests/infrastructure/test_matrix.py tests the sentences themselves)."""
    from site_machinery import matrix

    page = box(GOOD, "- tests/hooks/test_verified_by.py::test_a_box_ends_where_its_indentation_ends")
    rendered = verified_by.render(page, "sub/page.md")
    evidence = [
        "snippets/pitfall_list_add_broken.py#loss-has-shape-k",
        "tests/hooks/test_verified_by.py::test_a_box_ends_where_its_indentation_ends",
    ]
    sentence = matrix.coverage(evidence, "sub/page.md")
    assert sentence.endswith("pinned versions only: `test_a_box_ends_where_its_indentation_ends`.")
    assert "    " + sentence in rendered.splitlines()


def test_checker_rejects_a_label_used_twice():
    source = 'assert a, "same: one"\nassert b, "same: two"\n'
    with pytest.raises(EvidenceError, match="used by two assertions"):
        labelled_asserts(source)


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        (box("- snippets/no_such_program.py#x"), "snippets/no_such_program.py does not exist"),
        *[MALFORMED[kind] for kind in ("empty", "blank line inside", "capital B")],
    ],
    ids=["missing file", "empty", "blank line inside", "variant header"],
)
def test_a_bad_box_fails_a_real_build(tmp_path, markdown, message):
    """The hook stops `mkdocs build` with the page and the reference in the message."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# Page\n\n" + markdown)
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(
            f"""\
            site_name: bad box
            hooks:
              - {ROOT / "hooks/verified_by.py"}
            """
        )
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "index.md:3: 'Verified by' box: " in proc.stderr and message in proc.stderr
