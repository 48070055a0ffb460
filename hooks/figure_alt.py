"""MkDocs hook: each figure of a notebook page is named by its number and described by its
caption, for screen readers.

nbconvert, which mkdocs-jupyter uses, gives every figure the alternative text "No description
has been provided for this image". A notebook page here puts a one-line caption, "*Figure N.
...*", in the Markdown cell after each figure (tests/programs/test_notebooks.py checks that).
This hook gives the N-th figure `alt="Figure N"` and `aria-describedby` pointing at its caption,
whose paragraph gets the id `figure-N-caption`: a screen reader says "Figure N" and then reads
the caption, the same words a sighted reader sees under the figure (math included, as MathML).

The figures and captions must pair up in order (figure 1, caption 1, figure 2, caption 2, ...);
anything else stops the build with the page's name, rather than describing a figure by the wrong
caption.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

PLACEHOLDER = 'alt="No description has been provided for this image"'
CAPTION = re.compile(r"<p><em>Figure (\d+)\.")


def described_figures(output: str, page_name: str) -> str:
    figures = [m.start() for m in re.finditer(re.escape(PLACEHOLDER), output)]
    captions = list(CAPTION.finditer(output))
    if not figures:
        return output
    numbers = [int(c[1]) for c in captions]
    positions = sorted([(f, "figure") for f in figures] + [(c.start(), "caption") for c in captions])
    if numbers != list(range(1, len(figures) + 1)) or [kind for _, kind in positions] != [
        "figure",
        "caption",
    ] * len(figures):
        raise PluginError(
            f"{page_name}: {len(figures)} figures and captions {numbers} do not pair up in order "
            "(each figure needs the caption '*Figure N. ...*' after it, numbered from 1): "
            "hooks/figure_alt.py cannot say which caption describes which figure"
        )
    pieces, last = [], 0
    for number, (figure, caption) in enumerate(zip(figures, captions, strict=True), 1):
        pieces += [
            output[last:figure],
            f'alt="Figure {number}" aria-describedby="figure-{number}-caption"',
            output[figure + len(PLACEHOLDER) : caption.start()],
            f'<p id="figure-{number}-caption"><em>Figure {number}.',
        ]
        last = caption.end()
    return "".join(pieces) + output[last:]


def on_post_page(output: str, page, config) -> str:
    return described_figures(output, page.file.src_uri)
