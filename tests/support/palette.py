"""The reader's system switching between light and dark, for the browser tests."""

from __future__ import annotations

from playwright.sync_api import expect

SCHEMES = {"light": "default", "dark": "slate"}  # Material's names for the two palettes
# Material's colours change with transitions of 125-250 ms (hooks/restyles.py lets them play),
# so a style read at once can be caught halfway. getAnimations() applies pending style changes
# first, so the transitions the switch starts are among those it returns; each is then moved to
# its end at once (not awaited: a thorough run once waited 900 s on one that never ended).
# The annotation markers' pulse is an animation, not a transition, and is left alone.
FINISH_TRANSITIONS = """() => document.getAnimations()
    .filter((a) => a instanceof CSSTransition)
    .forEach((a) => a.finish())"""


def switch_palette(page, palette: str) -> None:
    """Switch the system to `palette` ("light" or "dark"); return once Material's palette
    follows, with its colour transitions at their end."""
    page.emulate_media(color_scheme=palette)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[palette])
    page.evaluate(FINISH_TRANSITIONS)
