"""The site builds strictly (zero warnings), offline, with every embed resolved and nothing
loaded from another host."""

from __future__ import annotations

import subprocess
import sys

import pytest

from site_machinery import site as site_support


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
