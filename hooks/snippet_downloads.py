"""MkDocs hook: publish every snippets/*.py file with the site, so pages can link to the
whole runnable program (`[download](snippets/NAME.py)`) instead of repeating it in a block,
every module of the checks package (the verify page walks through them), and every other file
a page shows an excerpt of, so that the excerpt can link its whole file.

Where each lands: site_machinery/publishing.py. The links are validated like any other, so a
renamed file breaks the strict build.
"""

from __future__ import annotations

from mkdocs.structure.files import File, Files

from site_machinery.markdown import shown_files
from site_machinery.paths import PACKAGE, ROOT, relative, snippets
from site_machinery.publishing import published_path


def on_files(files: Files, config) -> Files:
    programs = [*snippets(), *PACKAGE.glob("*.py")]
    shown = {relative(path) for path in programs} | shown_files()
    for path in sorted(shown):
        uri = published_path(path)
        if files.get_file_from_path(uri) is None:  # a box may have published it already
            files.append(File.generated(config, uri, abs_src_path=str(ROOT / path)))
    return files
