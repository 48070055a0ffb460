"""What pages embed: every snippet, each of its sections and its recorded outputs appear on a
page; section markers pair up; every embed names a real file; every shown line fits the code
column (80 characters)."""

from __future__ import annotations

import pytest

from site_machinery.markdown import MARKER, embeds
from site_machinery.paths import PACKAGE, ROOT, relative, snippets
from site_machinery.recordings import Recording


@pytest.mark.parametrize("snippet", snippets(), ids=[s.stem for s in snippets()])
def test_snippet_is_embedded(snippet):
    """Each snippet file, each of its sections, and its recorded output(s) appear on a page."""
    rel = relative(snippet)
    used = {(path, section) for _, path, section in embeds()}
    text = snippet.read_text()
    assert any(p == rel for p, _ in used), f"{rel} is embedded by no page"
    for name in sorted({m["name"] for m in MARKER.finditer(text)}):
        assert (rel, name) in used, f"section '{name}' of {rel} is embedded by no page"
    for out in Recording.of_snippet(snippet).files():
        assert any(p == relative(out) for p, _ in used), (
            f"recorded output {relative(out)} is shown on no page"
        )


@pytest.mark.parametrize("snippet", snippets(), ids=[s.stem for s in snippets()])
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


@pytest.mark.parametrize(
    "test_file",
    [
        p
        for p in sorted([*(ROOT / "tests").rglob("*.py"), *PACKAGE.glob("*.py")])
        if MARKER.search(p.read_text())
    ],
    ids=lambda p: p.name,
)
def test_sections_of_package_and_test_files_are_embedded(test_file):
    """Code of the package or the tests shown on a page (the properties, checks and mutants on
    'Verify it yourself') stays shown: a section no page embeds is a stale marker."""
    rel = relative(test_file)
    used = {(path, section) for _, path, section in embeds()}
    for name in sorted({m["name"] for m in MARKER.finditer(test_file.read_text())}):
        assert (rel, name) in used, f"section '{name}' of {rel} is embedded by no page"


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
