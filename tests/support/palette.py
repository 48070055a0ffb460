"""The reader's system switching between light and dark, for the browser tests."""

from __future__ import annotations

from playwright.sync_api import expect

SCHEMES = {"light": "default", "dark": "slate"}  # Material's names for the two palettes
# Material's colours change with transitions of 125-250 ms (hooks/restyles.py lets them play),
# so a style read at once can be caught halfway; getAnimations() applies pending style changes
# first, so the transitions the switch starts are among those awaited. (Infinite animations,
# such as the annotation markers' pulse, are not transitions and are not awaited.)
TRANSITIONS_DONE = """() => Promise.all(document.getAnimations()
    .filter((a) => a instanceof CSSTransition)
    .map((a) => a.finished.catch(() => null)))"""


def switch_palette(page, palette: str) -> None:
    """Switch the system to `palette` ("light" or "dark"); return once Material's palette
    follows and its colour transitions have finished."""
    page.emulate_media(color_scheme=palette)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[palette])
    page.evaluate(TRANSITIONS_DONE)
