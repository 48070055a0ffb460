"""Run a notebook page as a script (Agg backend), then describe every figure it drew.

`python tests/programs/run_notebook.py docs/experiments/NAME.py` prints what the
notebook prints, then one line `FIGURES [...]`: each figure's axes with title and labels.
"""

import json
import runpy
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

plt.show = lambda *args, **kwargs: None  # keep the figures open for inspection
runpy.run_path(sys.argv[1], run_name="__main__")
figures = [
    [
        {"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel()}
        for ax in plt.figure(n).axes
    ]
    for n in plt.get_fignums()
]
print("FIGURES " + json.dumps(figures))
