"""The fences of every page: code and output are embedded from files that are run and checked
(only shell commands are typed into a page), and the copy-button rules: a whole program keeps
its copy button, an excerpt and an output have none (the browser test clicks every button)."""

from __future__ import annotations

import pytest

from site_machinery.markdown import EMBED, FENCE, PAGES, SHELL_LANGUAGES, fence_language, published
from site_machinery.paths import DOCS, ROOT, SNIPPETS


def test_pages_exist():
    assert PAGES


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_every_fence_is_embedded_or_a_typed_command(page):
    """Code and output on a page are embedded from files that are run and checked; only shell
    commands may be typed into a page. Any fence syntax counts (```python, ```{.python}, ~~~)."""
    for m in FENCE.finditer(page.read_text()):
        language, body = fence_language(m["info"]), m["body"].strip()
        if language in SHELL_LANGUAGES:
            continue
        assert EMBED.fullmatch(body), (
            f"{page.relative_to(ROOT)}: a ```{m['info'].strip()} block is typed inline; put it in "
            f"a file that is checked and embed it with --8<--:\n{body[:300]}"
        )


def test_the_fence_check_sees_every_fence_syntax():
    typed = "```{.python .numberLines}\nprint(1)\n```\n~~~text\n0.5\n~~~\n```yaml\non: push\n```\n"
    found = [(fence_language(m["info"]), EMBED.fullmatch(m["body"].strip())) for m in FENCE.finditer(typed)]
    assert found == [("python", None), ("text", None), ("yaml", None)]


def fence_rule_problems(page_name: str, text: str) -> list[str]:
    """The copy-button rules a page's fences must follow (the browser test checks the result):
    a whole program keeps its copy button; an excerpt (a section or a line range) has none, is
    titled "Excerpt of FILE" and the page links FILE; an output block has none."""
    problems = []
    for m in FENCE.finditer(text):
        info, language = m["info"], fence_language(m["info"])
        embed = EMBED.fullmatch(m["body"].strip())
        no_copy = ".no-copy" in info
        if embed and embed["path"].endswith(".py"):
            uri = published(embed["path"])
            name = uri.removeprefix("snippets/")
            if embed["section"] or embed["lines"]:
                if not (no_copy and f'title="Excerpt of {name}"' in info):
                    problems.append(
                        f'{page_name}: an excerpt of {name} needs {{ .python .no-copy title="Excerpt of {name}" }}'
                    )
                if f"]({uri})" not in text:
                    problems.append(f"{page_name}: an excerpt of {name}, but the page never links {uri}")
            elif no_copy:
                problems.append(f"{page_name}: the whole program {name} is shown without its copy button")
        elif language == "text" and not no_copy:
            problems.append(f"{page_name}: an output block keeps a copy button (mark it .no-copy)")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_fences_follow_the_copy_rules(page):
    problems = fence_rule_problems(page.name, page.read_text())
    assert not problems, "\n".join(problems)


def test_the_copy_rules_catch_a_copyable_excerpt():
    bad = '```python\n--8<-- "snippets/tutorial_weight_decay.py:concise"\n```\n'
    assert fence_rule_problems("bad.md", bad) == [
        'bad.md: an excerpt of tutorial_weight_decay.py needs { .python .no-copy title="Excerpt of '
        'tutorial_weight_decay.py" }',
        "bad.md: an excerpt of tutorial_weight_decay.py, but the page never links snippets/tutorial_weight_decay.py",
    ]
    assert fence_rule_problems("out.md", '```text\n--8<-- "snippets/output/x.txt"\n```\n') == [
        "out.md: an output block keeps a copy button (mark it .no-copy)"
    ]


def test_the_copy_check_rejects_an_excerpt_with_a_copy_button():
    """What the browser test applies to every copied block, on known input."""
    from site_machinery.copyable import copy_problem

    whole = (SNIPPETS / "pitfall_list_add_fixed.py").read_text()
    assert copy_problem("p.md", "python", whole) is None
    assert copy_problem("p.md", "bash", "make test") is None
    excerpt = "\n".join(whole.splitlines()[10:20])
    problem = copy_problem("tutorial.md", "python", excerpt)
    first = next(line for line in excerpt.splitlines() if line.strip())
    assert problem is not None and problem.startswith(f"tutorial.md: a python block starting {first!r}")
    assert copy_problem("p.md", "text", "loss 0.0756") is not None
