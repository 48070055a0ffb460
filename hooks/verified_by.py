"""MkDocs hook: render every "Verified by" box from the assertions it names.

A box on a page lists evidence, one reference per line, and nothing else:

    !!! success "Verified by"
        - snippets/pitfall_list_add_broken.py#gradient-times-k
        - checks/src/weight_decay_checks/test_properties.py::test_penalty_gradient_is_2_wd_w

``FILE#label`` names a labelled assertion in a program: an ``assert`` statement whose message
is a string literal starting with the label, ``assert ok, "label: what it proves"``. The box
shows the label and the message, so the words in the box and the check are one piece of text.
``FILE::name`` names a test function (in a test module or in the published checks package);
the box shows its docstring's first line. A test counts as evidence only if it (or a function
of its module that it calls) contains an ``assert`` or ``pytest.raises``.

A reference to a file, label or test that does not exist, or to a test that asserts nothing,
stops the build with a message naming the page and the reference. ``tests/pages/test_evidence.py`` and ``tests/hooks/test_verified_by.py``
checks every page the same way and proves the check rejects bad boxes.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from site_machinery import matrix, programs
from site_machinery.paths import ROOT, pages
from site_machinery.programs import kerases_for
from site_machinery.publishing import published_path

HEADER = '!!! success "Verified by"'
# Any admonition line (`!!!`, `???`, `???+`, any kind, any quotes) whose title reads "verified
# by...": a box written slightly differently is still a box, and is rejected unless exact.
ADMONITION = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>!!!|\?\?\?\+?)(?P<rest>[^\n]*)$", re.M)
REFERENCE = re.compile(r"^- (?P<path>[\w./-]+\.py)(?:#(?P<label>[a-z0-9][a-z0-9-]*)|::(?P<test>\w+))$")


# Where each kind of evidence is run, for the reader.
def runner(path: str) -> str | None:
    """How the suite runs a program a box names, for the reader."""
    if path.startswith("snippets/"):
        if kerases_for(ROOT / path) == ["keras3"]:
            return "run by `tests/programs/test_snippets.py` (once: it does not use `tf.keras`)"
        return "run under Keras 3 and under tf-keras by `tests/programs/test_snippets.py`"
    if path.startswith("docs/"):
        return "run at every build of the site and by `tests/programs/test_notebooks.py`"
    return None


class EvidenceError(ValueError):
    """A "Verified by" box names evidence that does not exist or does not assert."""


@dataclass(frozen=True)
class Evidence:
    path: str  # relative to the repository root
    name: str  # the label, or the test function's name
    text: str  # the assertion's message after the label, or the test's docstring line
    is_test: bool


def labelled_asserts(source: str) -> dict[str, str]:
    """Every ``assert ..., "label: text"`` in a program: label -> text (programs.py); a label
    used twice in one file is an EvidenceError (a box must name exactly one assertion)."""
    try:
        return programs.labelled_asserts(source)
    except ValueError as e:
        raise EvidenceError(str(e)) from None


def _asserts(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assert):
            return True
        if isinstance(sub, ast.Attribute) and sub.attr == "raises":
            return True
    return False


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _sibling_modules(tree: ast.Module, folder: Path) -> dict[str, Path]:
    """The modules of the same folder that a module imports by name (`from pkg import checks`
    or `import checks`): alias -> file."""
    found = {}
    for node in tree.body:
        names = node.names if isinstance(node, (ast.Import, ast.ImportFrom)) else []
        for alias in names:
            file = folder / f"{alias.name.split('.')[-1]}.py"
            if file.is_file():
                found[alias.asname or alias.name.split(".")[-1]] = file
    return found


def _reaches_an_assert(
    fn: ast.FunctionDef, functions: dict, modules: dict[str, Path], depth: int = 2
) -> bool:
    """`fn` asserts, or a function it calls does: one of its own module (`f(...)`) or of a
    module of the same folder it imports (`checks.f(...)`), `depth` calls deep."""
    if _asserts(fn):
        return True
    if depth == 0:
        return False
    for call in (c for c in ast.walk(fn) if isinstance(c, ast.Call)):
        if isinstance(call.func, ast.Name) and call.func.id in functions:
            if _reaches_an_assert(functions[call.func.id], functions, modules, depth - 1):
                return True
        elif isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
            module = modules.get(call.func.value.id)
            if module is None:
                continue
            tree = ast.parse(module.read_text())
            target = _functions(tree).get(call.func.attr)
            if target and _reaches_an_assert(target, _functions(tree), {}, depth - 1):
                return True
    return False


def describe_test(source: str, name: str, folder: Path = ROOT) -> str:
    """The first docstring line of test `name`, if it asserts (itself, or through a function it
    calls in its own module or in a module of its folder); otherwise EvidenceError."""
    tree = ast.parse(source)
    functions = _functions(tree)
    if name not in functions:
        raise EvidenceError(f"no function '{name}'")
    fn = functions[name]
    if not _reaches_an_assert(fn, functions, _sibling_modules(tree, folder)):
        raise EvidenceError(f"'{name}' asserts nothing (printing is not proof)")
    doc = ast.get_docstring(fn)
    if not doc:
        raise EvidenceError(f"'{name}' has no docstring to say what it proves")
    return " ".join(doc.split("\n\n")[0].split())


@cache
def _read(path: str) -> str:
    file = ROOT / path
    if not file.is_file():
        raise EvidenceError(f"{path} does not exist")
    return file.read_text()


def resolve(reference: str) -> Evidence:
    """One line of a box -> the evidence it names, or EvidenceError saying what is wrong."""
    m = REFERENCE.match(reference.strip())
    if m is None:
        raise EvidenceError(
            f"'{reference.strip()}' is not a reference: write '- FILE.py#label' (a labelled assert) "
            "or '- FILE.py::test_name' (a test); a box holds nothing else"
        )
    path = m["path"]
    source = _read(path)
    if m["test"]:
        try:
            folder = (ROOT / path).parent
            return Evidence(path, m["test"], describe_test(source, m["test"], folder), True)
        except EvidenceError as e:
            raise EvidenceError(f"{path}: {e}") from None
    try:
        labels = labelled_asserts(source)
    except EvidenceError as e:
        raise EvidenceError(f"{path}: {e}") from None
    if not labels:
        raise EvidenceError(f"{path} has no labelled assert (printing is not proof)")
    if m["label"] not in labels:
        raise EvidenceError(
            f"{path} has no assert labelled '{m['label']}' (it has: {', '.join(sorted(labels))})"
        )
    return Evidence(path, m["label"], labels[m["label"]], False)


@dataclass(frozen=True)
class Box:
    line: int  # of the header, 1-based
    indent: str  # the header's indentation
    start: int  # offsets of the whole box (header and body) in the page
    end: int
    header: str  # the header as written
    body: list[str]  # the lines under the header, as written (blank lines included)


def _is_verified_by(rest: str) -> bool:
    """An admonition whose title (quoted, or the words after the marker) reads "verified by"."""
    title = re.search(r"[\"'](?P<t>[^\"']*)[\"']", rest)
    words = title["t"] if title else rest
    return re.sub(r"[^a-z]", "", words.lower()).startswith("verifiedby")


def boxes(markdown: str) -> list[Box]:
    """Every "Verified by" box on a page: its header and every line indented under it (an
    admonition's body, blank lines included, trailing blank lines not)."""
    found = []
    for m in ADMONITION.finditer(markdown):
        if not _is_verified_by(m["rest"]):
            continue
        indent, body, end = m["indent"], [], m.end()
        lines = markdown[m.end() + 1 :].split("\n") if m.end() < len(markdown) else []
        offset = m.end() + 1
        for text in lines:
            deeper = text[: len(indent) + 1].startswith(indent) and text[len(indent) :][:1] in (" ", "\t")
            if text.strip() and not deeper:
                break
            body.append(text)
            offset += len(text) + 1
            if text.strip():
                end = offset - 1
        while body and not body[-1].strip():
            body.pop()
        line = markdown[: m.start()].count("\n") + 1
        found.append(Box(line, indent, m.start(), end, m.group(0).strip(), body))
    return found


def references(box: Box) -> list[str]:
    """The reference lines of a well-formed box; EvidenceError saying what is wrong otherwise."""
    if box.header != HEADER:
        raise EvidenceError(f"'{box.header}' is not a box's header: write it exactly as {HEADER}")
    if not box.body:
        raise EvidenceError("an empty 'Verified by' box: list at least one reference")
    if any(not text.strip() for text in box.body):
        raise EvidenceError(
            "a blank line inside the box: every line of a box is a reference, one after another "
            "(a line after a blank one would be shown but not checked)"
        )
    return box.body


def check_page(markdown: str, page: str) -> list[Evidence]:
    """All evidence the boxes of a page name; EvidenceError naming the page and line otherwise."""
    found = []
    for box in boxes(markdown):
        try:
            found += [resolve(ref) for ref in references(box)]
        except EvidenceError as e:
            raise EvidenceError(f"{page}:{box.line}: 'Verified by' box: {e}") from None
    return found


def _render(evidence: Evidence, page: str, indent: str) -> str:
    link = posixpath.relpath(published_path(evidence.path), posixpath.dirname(page) or ".")
    name = f"[`{evidence.path}`]({link})"
    if evidence.is_test:
        return f"{indent}- {name}`::{evidence.name}`: {evidence.text}"
    return f"{indent}- {name}, assertion `{evidence.name}`: {evidence.text}"


def render(markdown: str, page: str) -> str:
    out, last = [], 0
    for box in boxes(markdown):
        try:
            found = [resolve(ref) for ref in references(box)]
        except EvidenceError as e:
            raise EvidenceError(f"{page}:{box.line}: 'Verified by' box: {e}") from None
        indent = box.indent + "    "
        lines = [f"{box.indent}{HEADER}"]
        lines += [_render(evidence, page, indent) for evidence in found]
        runners = sorted({runner(e.path) for e in found if not e.is_test} - {None})
        both, once = (runner("snippets/_.py"), runner("snippets/jax_.py"))
        if both in runners and once in runners:  # one sentence for the two kinds of snippet
            runners.remove(once)
            runners[runners.index(both)] = f"{both} (once where a program does not use `tf.keras`)"
        if runners:
            lines += ["", f"{indent}The programs are {'; '.join(runners)}."]
        if any(e.is_test for e in found):
            lines += ["", f"{indent}The tests run in `make test`."]
        lines += ["", f"{indent}{matrix.coverage([evidence_id(e) for e in found], page)}"]
        out += [markdown[last : box.start], "\n".join(lines)]
        last = box.end
    return "".join([*out, markdown[last:]])


def evidence_id(evidence: Evidence) -> str:
    """How the version matrix names it: FILE#label or FILE::test."""
    return f"{evidence.path}{'::' if evidence.is_test else '#'}{evidence.name}"


# What the versions page shows of the recorded matrix (site_machinery/matrix.py), by marker.
MATRIX_PARTS = {
    "<!-- version matrix: claims x versions -->": lambda data: matrix.claims_table(claims(), data),
    "<!-- version matrix: differing claims -->": lambda data: matrix.claims_table(
        claims(), data, differing=True
    ),
    "<!-- version matrix: pairs -->": matrix.pairs_table,
    "<!-- version matrix: oldest run -->": matrix.oldest_run,
}


def render_matrix(markdown: str) -> str:
    """Each marker replaced by its part, indented as the marker is (inside an admonition)."""
    for marker, part in MATRIX_PARTS.items():
        for m in list(re.finditer(rf"^(?P<indent>[ \t]*){re.escape(marker)}$", markdown, re.M)):
            data = matrix.load()
            text = part(data) if data else "No version matrix is recorded."
            indented = "\n".join(m["indent"] + line if line else line for line in text.splitlines())
            markdown = markdown.replace(m[0], indented, 1)
    return markdown


def claims() -> list[tuple[str, str]]:
    """(page, evidence id) for every reference of every box of every page, in page order."""
    found = []
    for page in pages():
        for box in boxes(page.read_text()):
            for line in box.body:
                m = REFERENCE.match(line.strip())
                if m:
                    separator = "#" if m["label"] else "::"
                    found.append(
                        (
                            page.relative_to(ROOT / "docs").as_posix(),
                            f"{m['path']}{separator}{m['label'] or m['test']}",
                        )
                    )
    return found


def evidence_files() -> set[str]:
    """Every file a box on a page names (repository paths)."""
    named = set()
    for page in pages():
        for box in boxes(page.read_text()):
            named |= {m["path"] for m in map(REFERENCE.match, (line.strip() for line in box.body)) if m}
    return named


def on_files(files, config):
    """Publish every file a box names (hooks/snippet_downloads.py publishes the snippets)."""
    from mkdocs.structure.files import File

    for path in sorted(evidence_files()):
        uri = published_path(path)
        if (ROOT / path).is_file() and files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(ROOT / path)))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    from mkdocs.exceptions import PluginError

    _read.cache_clear()  # `make serve` rebuilds after edits
    try:
        markdown = render_matrix(markdown)
        return render(markdown, page.file.src_uri)
    except EvidenceError as e:
        raise PluginError(str(e)) from None
