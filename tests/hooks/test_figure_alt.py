"""hooks/figure_alt.py: each notebook figure gets alt="Figure N" and is described by its caption
(aria-describedby); figures and captions that do not pair up in order stop the build."""

from __future__ import annotations

import re

import pytest
from mkdocs.exceptions import PluginError

from hooks.figure_alt import PLACEHOLDER, described_figures
from site_machinery.paths import built_page, notebooks


def figure(png: str) -> str:
    return f'<img {PLACEHOLDER} class="" src="data:image/png;base64,{png}"/>'


def caption(number: int) -> str:
    return f"<p><em>Figure {number}. What it shows.</em></p>"


def test_each_figure_is_named_and_described_by_its_caption():
    page = f"<h1>t</h1>{figure('A')}<div>{caption(1)}</div>{figure('B')}{caption(2)}<p>end</p>"
    out = described_figures(page, "p.py")
    assert PLACEHOLDER not in out
    assert re.findall(r'alt="([^"]+)" aria-describedby="([^"]+)"', out) == [
        ("Figure 1", "figure-1-caption"),
        ("Figure 2", "figure-2-caption"),
    ]
    assert '<p id="figure-1-caption"><em>Figure 1. What it shows.' in out
    assert '<p id="figure-2-caption"><em>Figure 2. What it shows.' in out
    assert out.replace(' id="figure-1-caption"', "").replace(' id="figure-2-caption"', "") == (
        page.replace(PLACEHOLDER, 'alt="Figure 1" aria-describedby="figure-1-caption"', 1).replace(
            PLACEHOLDER, 'alt="Figure 2" aria-describedby="figure-2-caption"', 1
        )
    )


def test_a_page_without_figures_is_unchanged():
    page = f"<p>text</p>{caption(1)}"
    assert described_figures(page, "p.md") == page


@pytest.mark.parametrize(
    "page",
    [
        figure("A") + figure("B") + caption(1),  # a figure without a caption
        figure("A") + caption(1) + caption(2),  # a caption without a figure
        caption(1) + figure("A"),  # the caption before its figure
        figure("A") + caption(2),  # numbered from 2
        figure("A") + caption(2) + figure("B") + caption(1),  # out of order
    ],
    ids=["missing-caption", "extra-caption", "caption-first", "from-2", "out-of-order"],
)
def test_figures_and_captions_that_do_not_pair_up_stop_the_build(page):
    with pytest.raises(PluginError, match=r"nb\.py: .* do not pair up in order"):
        described_figures(page, "nb.py")


@pytest.mark.parametrize("notebook", notebooks(), ids=[n.stem for n in notebooks()])
def test_every_built_figure_is_described_by_its_caption(built_site, notebook):
    html = built_page(built_site, notebook).read_text()
    assert "No description has been provided" not in html
    described = re.findall(r'<img alt="Figure (\d+)" aria-describedby="([^"]+)"', html)
    assert len(described) == notebook.read_text().count("plt.show()")
    for number, target in described:
        assert re.search(rf'<p id="{target}"><em>Figure {number}\. \S', html), target
