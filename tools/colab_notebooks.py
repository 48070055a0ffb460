"""Write the notebooks Colab opens (notebooks/) from their sources: the notebook pages and the
whole programs. tests/site/test_colab.py checks them with the same code (site_machinery/colab.py).

Run: python -m tools.colab_notebooks
"""

from __future__ import annotations

from site_machinery.colab import sync


def main() -> None:
    changed = sync(write=True)
    print("\n".join(changed) if changed else "notebooks/ is up to date")


if __name__ == "__main__":
    main()
