"""Where the site publishes the repository files its pages link: the whole programs a page shows,
the files a "Verified by" box names, the package modules a page shows excerpts of.

MkDocs copies only files under docs/; the hooks `snippet_downloads` and `verified_by` add these
(a hook is the documented way: https://www.mkdocs.org/user-guide/configuration/#hooks), so a
renamed file breaks the strict build's link check.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile

from site_machinery.paths import ROOT, SNIPPETS, snippets, step_programs

PACKAGE_SOURCE = "checks/src/"
SNIPPETS_ZIP = "downloads/weight-decay-snippets.zip"
GITHUB = re.compile(r"^(?:https://github\.com/|git@github\.com:)(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def published_path(path: str) -> str:
    """The site address of a repository file: snippets and tests at their repository path, the
    checks package's modules at the package's own path (`weight_decay_checks/...`)."""
    return path.removeprefix(PACKAGE_SOURCE)


def repository(environ=os.environ) -> tuple[str, str, str | None]:
    """(what git clone takes, how to name it, its web address or None): GITHUB_REPOSITORY (set
    by GitHub Actions), else the `origin` remote when it is on GitHub, else this folder."""
    if environ.get("GITHUB_REPOSITORY"):
        server = environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
        url = f"{server}/{environ['GITHUB_REPOSITORY']}"
        return url, environ["GITHUB_REPOSITORY"], url
    origin = subprocess.run(
        ["git", "remote", "get-url", "origin"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    m = GITHUB.match(origin)
    if m:
        url = f"https://github.com/{m['repo']}"
        return url, m["repo"], url
    return str(ROOT), str(ROOT), None


def snippets_zip() -> bytes:
    """Every program of snippets/ (the training steps in steps/ too) in one zip, under
    weight-decay-snippets/, with a fixed date so that the same files give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in [*snippets(), *step_programs()]:
            name = "weight-decay-snippets/" + path.relative_to(SNIPPETS).as_posix()
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
