"""MkDocs hook: publish every snippets/*.py file with the site, so pages can link to the
whole runnable program (`[download](snippets/NAME.py)`) instead of repeating it in a block,
every module of the checks package (the verify page walks through them), and every other file
a page shows an excerpt of, so that the excerpt can link its whole file.

Where each lands: site_machinery/publishing.py. The links are validated like any other, so a
renamed file breaks the strict build. All the programs also go out as one zip
(publishing.SNIPPETS_ZIP), for a reader who wants them all at once.
"""

from __future__ import annotations

from mkdocs.structure.files import File, Files

from site_machinery.markdown import shown_files
from site_machinery.paths import PACKAGE, ROOT, relative, snippets
from site_machinery.publishing import SNIPPETS_ZIP, published_path, snippets_zip


def on_files(files: Files, config) -> Files:
    programs = [*snippets(), *PACKAGE.glob("*.py")]
    shown = {relative(path) for path in programs} | shown_files()
    for path in sorted(shown):
        uri = published_path(path)
        if files.get_file_from_path(uri) is None:  # a box may have published it already
            files.append(File.generated(config, uri, abs_src_path=str(ROOT / path)))
    files.append(File.generated(config, SNIPPETS_ZIP, content=snippets_zip()))
    return files
