"""The site's machinery: what the tests, the tools and the MkDocs hooks share.

One module a concern, each fact defined once:

* `paths`: the repository's folders and the lists of pages, snippets and notebook pages;
  where a page lands in the built site; the two Kerases a program runs under.
* `programs`: running a program as a reader would (`python PROGRAM`), fresh or in a fork
  server (`forkserver`), with one environment, one result type and one table of time budgets;
  `cluster` starts several at once (the multi-worker tests).
* `recordings`: what each program printed, where it is kept, and the one function that either
  checks a new run against it or records it (`compare` is the rule for numbers).
* `markdown`: what pages are made of (fences, embeds, the files they show); `copyable`: what a
  block with a copy button may be; `publishing`: where the site publishes the files it links.
* `site`: the offline strict build, shared by the test workers, and the server; `browser`: the
  Chromium the browser tests and the audit use.
* `lint`: ruff at the site's two widths (80 columns for every file a page shows).

Nothing here imports TensorFlow: the hooks and the tools import it in milliseconds.
"""
