// Typeset math with the site's own copy of KaTeX (no CDN), after every page load,
// including Material's instant navigation.
// \( \) and \[ \] come from pymdownx.arithmatex (generic mode) on Markdown pages;
// $ and $$ come from the Markdown cells of notebook pages, which arithmatex never sees.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: true,
  });
});
