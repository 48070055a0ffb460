"""The properties of weight decay and L2 regularization in Keras, as tests you
can run anywhere.

Two ways to run them, on the TensorFlow and Keras installed in the current
environment:

    python -m weight_decay_checks          # a table: property x Keras, exit 0 / 1 / 2
    pytest --pyargs weight_decay_checks    # the same tests under your pytest (-k, -x, ...)

The Hypothesis settings are built in (`settings.py`): derandomized by default,
`thorough` on request. The supported versions are checked before anything runs
(`versions.py`).
"""

__version__ = "0.1.0"
