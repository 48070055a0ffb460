"""hooks/checks_package.py: the repository named from where the site is built, the tokens pages
use replaced everywhere, and an unknown token stopping the build."""

from __future__ import annotations

import re
import subprocess

import pytest

from site_machinery.paths import ROOT


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
    from site_machinery import publishing as hook

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
