"""What keeps every built page light that no single hook owns: every script a page loads is
deferred (overrides/main.html). The hooks' own: tests/hooks/test_math.py, test_code_tokens.py,
test_notebook_css.py (README, "Performance and accessibility budget")."""

from __future__ import annotations

import re


def test_scripts_wait_for_the_page(built_site):
    """Every script file a page loads is deferred (overrides/main.html): none runs before the
    first paint. (The notebooks' empty `data:` script stands in for MathJax and loads nothing.)"""
    blocking = sorted(
        {
            f"{path.relative_to(built_site).as_posix()}: {tag}"
            for path in built_site.rglob("*.html")
            for tag in re.findall(r"<script\b[^>]*\bsrc=\"(?!data:)[^>]*>", path.read_text())
            if " defer" not in tag
        }
    )
    assert not blocking, "\n".join(blocking[:10])
