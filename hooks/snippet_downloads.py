"""MkDocs hook: publish every snippets/*.py file with the site, so pages can link to the
whole runnable program (`[download](snippets/NAME.py)`) instead of repeating it in a block.

MkDocs copies only files under docs/; a hook is the documented way to add others
(https://www.mkdocs.org/user-guide/configuration/#hooks). The links are validated like any
other, so a renamed snippet breaks the strict build.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files

SNIPPETS = Path(__file__).resolve().parent.parent / "snippets"


# Test files that pages show excerpts of, published so that each excerpt can link its file.
SHOWN_TESTS = {
    "tests/test_properties_catch_mutants.py": "tests/test_properties_catch_mutants.py",
    "weight_decay_checks/test_properties.py": "checks/src/weight_decay_checks/test_properties.py",
    "weight_decay_checks/mutants.py": "checks/src/weight_decay_checks/mutants.py",
}


def on_files(files: Files, config) -> Files:
    for path in sorted(SNIPPETS.glob("*.py")):
        files.append(File.generated(config, f"snippets/{path.name}", abs_src_path=str(path)))
    for uri, rel in SHOWN_TESTS.items():
        if files.get_file_from_path(uri) is None:  # a box may have published it already
            files.append(File.generated(config, uri, abs_src_path=str(SNIPPETS.parent / rel)))
    return files
