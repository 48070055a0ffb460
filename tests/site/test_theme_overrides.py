"""overrides/: two of Material's partials, each changed in one attribute only, checked against the
installed Material so that an upgrade cannot leave a stale copy behind."""

from __future__ import annotations

from pathlib import Path

from site_machinery.paths import ROOT


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
