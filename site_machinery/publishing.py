"""Where the site publishes the repository files its pages link: the whole programs a page shows,
the files a "Verified by" box names, the package modules a page shows excerpts of.

MkDocs copies only files under docs/; the hooks `snippet_downloads` and `verified_by` add these
(a hook is the documented way: https://www.mkdocs.org/user-guide/configuration/#hooks), so a
renamed file breaks the strict build's link check.
"""

from __future__ import annotations

PACKAGE_SOURCE = "checks/src/"


def published_path(path: str) -> str:
    """The site address of a repository file: snippets and tests at their repository path, the
    checks package's modules at the package's own path (`weight_decay_checks/...`)."""
    return path.removeprefix(PACKAGE_SOURCE)
