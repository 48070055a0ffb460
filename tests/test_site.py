"""The site builds strictly, and every snippet and recorded output is on a page.

The structural checks read files only; the build tests share one strict build per worker.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import DOCS, KERASES, OUTPUTS, ROOT, SNIPPETS, snippet_files
from tests.support import site as site_support
from tests.support.markdown import EMBED, FENCE, MARKER, PAGES, embeds, fence_language, published

# Fences whose body is typed into the page: commands a reader types, never a program or its
# output (those are embedded from files that are run and checked).
TYPED_LANGUAGES = {"bash", "console", "shell", "sh"}


def test_pages_exist():
    assert PAGES


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_every_fence_is_embedded_or_a_typed_command(page):
    """Code and output on a page are embedded from files that are run and checked; only shell
    commands may be typed into a page. Any fence syntax counts (```python, ```{.python}, ~~~)."""
    for m in FENCE.finditer(page.read_text()):
        language, body = fence_language(m["info"]), m["body"].strip()
        if language in TYPED_LANGUAGES:
            continue
        assert EMBED.fullmatch(body), (
            f"{page.relative_to(ROOT)}: a ```{m['info'].strip()} block is typed inline; put it in "
            f"a file that is checked and embed it with --8<--:\n{body[:300]}"
        )


def test_the_fence_check_sees_every_fence_syntax():
    typed = "```{.python .numberLines}\nprint(1)\n```\n~~~text\n0.5\n~~~\n```yaml\non: push\n```\n"
    found = [(fence_language(m["info"]), EMBED.fullmatch(m["body"].strip())) for m in FENCE.finditer(typed)]
    assert found == [("python", None), ("text", None), ("yaml", None)]


@pytest.mark.parametrize("snippet", snippet_files(), ids=[s.stem for s in snippet_files()])
def test_snippet_is_embedded(snippet):
    """Each snippet file, each of its sections, and its recorded output(s) appear on a page."""
    rel = snippet.relative_to(ROOT).as_posix()
    used = {(path, section) for _, path, section in embeds()}
    text = snippet.read_text()
    assert any(p == rel for p, _ in used), f"{rel} is embedded by no page"
    for name in sorted({m["name"] for m in MARKER.finditer(text)}):
        assert (rel, name) in used, f"section '{name}' of {rel} is embedded by no page"
    for out in OUTPUTS.glob(f"{snippet.stem}*.txt"):
        out_rel = out.relative_to(ROOT).as_posix()
        assert any(p == out_rel for p, _ in used), f"recorded output {out_rel} is shown on no page"


@pytest.mark.parametrize("snippet", snippet_files(), ids=[s.stem for s in snippet_files()])
def test_section_markers_pair_up(snippet):
    """Every [start:x] has one [end:x] after it (a lone start silently runs to the end of file)."""
    open_sections: dict[str, int] = {}
    seen: set[str] = set()
    for lineno, line in enumerate(snippet.read_text().splitlines(), 1):
        for m in MARKER.finditer(line):
            name = m["name"]
            if m["kind"] == "start":
                assert name not in seen, f"{snippet.name}:{lineno}: section '{name}' starts twice"
                open_sections[name] = lineno
                seen.add(name)
            else:
                assert name in open_sections, f"{snippet.name}:{lineno}: [end:{name}] without a start"
                del open_sections[name]
    assert not open_sections, f"{snippet.name}: sections never ended: {sorted(open_sections)}"


def test_every_embed_points_at_a_real_file():
    """A readable error here beats pymdownx's: the page and the path, for every broken embed."""
    missing = [
        f"{page.relative_to(ROOT)}: {path}" for page, path, _ in embeds() if not (ROOT / path).is_file()
    ]
    assert not missing, "embedded files that do not exist:\n" + "\n".join(missing)


def test_recorded_outputs_belong_to_snippets():
    """No stale output file: each one is NAME.txt or NAME.<keras>.txt for an existing snippet."""
    stems = {s.stem for s in snippet_files()}
    suffixes = [".txt", *(f".{k}.txt" for k in KERASES)]
    for out in OUTPUTS.glob("*.txt"):
        owners = [out.name.removesuffix(sfx) for sfx in suffixes if out.name.endswith(sfx)]
        assert any(o in stems for o in owners), f"{out.relative_to(ROOT)} belongs to no snippet"


def test_snippets_folder_layout():
    assert SNIPPETS.is_dir() and OUTPUTS.is_dir()


def test_site_builds_strictly(built_site):
    assert (built_site / "index.html").is_file()


def test_the_build_runs_without_network():
    """The test build runs in a network namespace with no network. Under CI this cannot skip:
    `offline_prefix` raises there when no namespace can be made."""
    prefix = site_support.offline_prefix()
    if not prefix:
        pytest.skip("no network namespace here (and CI is not set): the build ran with network")
    probe = subprocess.run(
        [
            *prefix,
            sys.executable,
            "-c",
            "import socket; socket.create_connection(('pypi.org', 443), 3)",
        ],
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0, "the offline namespace could reach the network"


def test_built_html_has_no_unresolved_embeds(built_site):
    leftovers = [
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if "--8&lt;--" in p.read_text() or "--8<--" in p.read_text()
    ]
    assert not leftovers, f"unresolved --8<-- in: {leftovers}"


def test_third_party_check_catches_loads_and_allows_links(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="https://d2l.ai">a link</a><link rel="canonical" href="https://x.org/">'
        '<script src="https://cdn.example/katex.js"></script>'
        '<link rel="stylesheet" href="//fonts.example/css">'
    )
    (tmp_path / "extra.css").write_text('@font-face{src:url("https://fonts.example/f.woff2")}')
    assert len(site_support.third_party_loads(tmp_path)) == 3


def test_built_site_makes_no_third_party_request(built_site):
    problems = site_support.third_party_loads(built_site)
    assert not problems, "third-party resources:\n" + "\n".join(problems)


def test_every_broken_program_is_in_the_pitfall_index():
    """The index at the top of the pitfalls page links every `*_broken.py` program on the site:
    no silent failure shown on some page is missing from the one list of them."""
    text = (DOCS / "pitfalls.md").read_text()
    index = text.split("{#index}", 1)[1].split("\n## ", 1)[0]
    missing = [
        s.name for s in snippet_files() if s.stem.endswith("_broken") and f"(snippets/{s.name})" not in index
    ]
    assert not missing, f"docs/pitfalls.md#index does not list: {missing}"


def test_every_keras_difference_is_listed():
    """Each snippet whose output differs between the Kerases has a section on the differences page."""
    page = (DOCS / "keras3-vs-tf-keras.md").read_text()
    differing = sorted({p.name.split(".")[0] for p in OUTPUTS.glob(f"*.{next(iter(KERASES))}.txt")})
    missing = [stem for stem in differing if f"{{#{stem}}}" not in page]
    assert not missing, f"docs/keras3-vs-tf-keras.md does not list: {missing}"


@pytest.mark.parametrize(
    "test_file",
    [
        p
        for p in sorted([*(ROOT / "tests").glob("test_*.py"), *(ROOT / "checks" / "src").rglob("*.py")])
        if MARKER.search(p.read_text())
    ],
    ids=lambda p: p.name,
)
def test_sections_of_test_files_are_embedded(test_file):
    """Test code shown on a page (e.g. the properties on 'Verify it yourself') stays shown."""
    rel = test_file.relative_to(ROOT).as_posix()
    used = {(path, section) for _, path, section in embeds()}
    for name in sorted({m["name"] for m in MARKER.finditer(test_file.read_text())}):
        assert (rel, name) in used, f"section '{name}' of {rel} is embedded by no page"


def test_theme_override_differs_from_material_only_in_the_aria_label():
    """overrides/partials/search.html is Material's partial plus one attribute; an upgrade that
    changes the partial fails here instead of silently keeping an old copy."""
    import material

    upstream = (Path(material.__file__).parent / "templates/partials/search.html").read_text()
    ours = (ROOT / "overrides/partials/search.html").read_text()
    upstream_body = upstream.split("-#}\n", 1)[1]
    ours_body = ours.split("-#}\n", 1)[1]
    added = " aria-label=\"{{ lang.t('search') }}\""
    assert added in ours_body
    assert ours_body.replace(added, "", 1) == upstream_body


def test_repository_link_override_differs_from_material_only_in_the_fetch():
    """overrides/partials/source.html is Material's repository link without the attribute that
    makes Material's JavaScript fetch the repository's facts from api.github.com."""
    import material

    upstream = (Path(material.__file__).parent / "templates/partials/source.html").read_text()
    ours = (ROOT / "overrides/partials/source.html").read_text()
    removed = ' data-md-component="source"'
    assert removed in upstream and removed not in ours.split("-#}\n", 1)[1]
    assert ours.split("-#}\n", 1)[1] == upstream.split("-#}\n", 1)[1].replace(removed, "", 1)


def test_the_offline_check_fails_under_ci_when_no_namespace_can_be_made(monkeypatch):
    """Where `unshare` is refused, CI=true makes the build fail instead of running online."""
    monkeypatch.setattr(site_support, "OFFLINE_CANDIDATES", [["false"]])
    site_support.offline_prefix.cache_clear()
    try:
        monkeypatch.setenv("CI", "true")
        with pytest.raises(site_support.OfflineUnavailable, match="CI is set"):
            site_support.offline_prefix()
        site_support.offline_prefix.cache_clear()
        monkeypatch.delenv("CI")
        assert site_support.offline_prefix() == ()
    finally:
        site_support.offline_prefix.cache_clear()


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
    from tests.support.copyable import copy_problem

    whole = (SNIPPETS / "pitfall_list_add_fixed.py").read_text()
    assert copy_problem("p.md", "python", whole) is None
    assert copy_problem("p.md", "bash", "make test") is None
    excerpt = "\n".join(whole.splitlines()[10:20])
    problem = copy_problem("tutorial.md", "python", excerpt)
    first = next(line for line in excerpt.splitlines() if line.strip())
    assert problem is not None and problem.startswith(f"tutorial.md: a python block starting {first!r}")
    assert copy_problem("p.md", "text", "loss 0.0756") is not None


def test_no_page_keeps_a_placeholder(built_site):
    """Every @@TOKEN@@ was replaced (hooks/checks_package.py), and no `<this repository>` is left."""
    left = []
    for path in sorted([*built_site.rglob("*.html"), built_site / "downloads" / "weight-decay-checks.yml"]):
        text = path.read_text()
        for m in re.finditer(r"@@[A-Z_]+@@|&lt;this repository&gt;|<this repository>", text):
            left.append(f"{path.relative_to(built_site)}: {m[0]}")
    assert not left, "placeholders in the built site:\n" + "\n".join(left)


def test_the_repository_comes_from_the_deploy_workflow(monkeypatch):
    """On GitHub Actions, GITHUB_REPOSITORY names and links the repository; elsewhere a GitHub
    `origin`; else the folder the site was built from, which `git clone` also takes."""
    from hooks import checks_package as hook

    env = {"GITHUB_REPOSITORY": "octo/weight-decay"}
    url = "https://github.com/octo/weight-decay"
    assert hook.repository(env) == (url, "octo/weight-decay", url)
    env["GITHUB_SERVER_URL"] = "https://github.example.com/"
    assert hook.repository(env)[2] == "https://github.example.com/octo/weight-decay"
    origin = subprocess.run(["git", "remote", "get-url", "origin"], cwd=ROOT, capture_output=True, text=True)
    if origin.returncode != 0:  # no remote: the folder itself
        assert hook.repository({}) == (str(ROOT), str(ROOT), None)
    for remote, repo in [
        ("https://github.com/octo/wd.git", "octo/wd"),
        ("git@github.com:octo/wd.git", "octo/wd"),
        ("https://github.com/octo/wd", "octo/wd"),
    ]:
        assert hook.GITHUB.match(remote)["repo"] == repo
    assert hook.GITHUB.match("https://gitlab.com/octo/wd") is None


def test_a_token_the_hook_does_not_know_fails_the_build():
    from mkdocs.exceptions import PluginError

    from hooks import checks_package as hook

    hook._values.update(SITE_URL="http://127.0.0.1:8000/")
    assert hook.substitute("at @@SITE_URL@@", "p.md") == "at http://127.0.0.1:8000/"
    with pytest.raises(PluginError, match=r"p.md: unknown token @@WHEEL_ULR@@ \(known: .*SITE_URL"):
        hook.substitute("get @@WHEEL_ULR@@", "p.md")


COLUMNS = 80  # what the code column holds at 1280 px (the browser test measures it)


def embedded_lines(path: str, section: str) -> list[str]:
    lines = (ROOT / path).read_text().splitlines()
    if not section:
        return lines
    start = next(i for i, line in enumerate(lines) if f"--8<-- [start:{section}]" in line)
    end = next(i for i, line in enumerate(lines) if f"--8<-- [end:{section}]" in line)
    return lines[start + 1 : end]


def test_embedded_code_and_outputs_fit_80_columns():
    """Every line of every embedded program, section and recorded output fits the code column,
    including those in collapsed blocks the browser test does not see."""
    wide = [
        f"{path}{':' + section if section else ''}: {len(line)} columns: {line[:60]}..."
        for path, section in sorted({(path, section or "") for _, path, section in embeds()})
        if path.endswith((".py", ".txt"))
        for line in embedded_lines(path, section)
        if len(line) > COLUMNS
    ]
    assert not wide, "lines wider than the code column:\n" + "\n".join(wide)
