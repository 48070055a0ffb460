// Typeset math with the site's own copy of KaTeX (no CDN), after every page load,
// including Material's instant navigation.
// \( \) and \[ \] come from pymdownx.arithmatex (generic mode) on Markdown pages;
// $ and $$ come from the Markdown cells of notebook pages, which arithmatex never sees.
// KaTeX (JavaScript and style) is fetched only by a page that has math, and only the
// elements that hold math are searched: not the long code listings around them.
const MATH = ".arithmatex, .jp-MarkdownOutput";
const KATEX = new URL("../vendor/katex/", document.currentScript.src).href;

function load(tag, attributes) {
  return new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement(tag), attributes);
    element.onload = resolve;
    element.onerror = () => reject(new Error(`KaTeX: cannot load ${attributes.src || attributes.href}`));
    document.head.append(element);
  });
}

let katexReady;
function katex() {
  katexReady ??= Promise.all([
    load("link", { rel: "stylesheet", href: KATEX + "katex.min.css" }),
    load("script", { src: KATEX + "katex.min.js" }).then(() =>
      load("script", { src: KATEX + "contrib/auto-render.min.js" })),
  ]);
  return katexReady;
}

document$.subscribe(({ body }) => {
  const holders = [...body.querySelectorAll(MATH)];
  if (!holders.length) return;
  katex().then(() => {
    for (const holder of holders) {
      renderMathInElement(holder, {
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "$", right: "$", display: false },
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true },
        ],
        throwOnError: true,
      });
    }
  });
});
