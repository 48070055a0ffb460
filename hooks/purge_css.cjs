// Keeps the rules of a style sheet that can apply to a page, with the pinned PurgeCSS, for
// hooks/notebook_css.py. Reads {"css": "...", "html": "..."} as JSON on stdin and writes the
// kept CSS to stdout. PurgeCSS keeps a selector when every class, id, tag and attribute it
// names occurs in the page; custom properties, @keyframes and @font-face rules that no kept
// rule uses are dropped.
const { PurgeCSS } = require("purgecss");

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const { css, html } = JSON.parse(input);
  const [result] = await new PurgeCSS().purge({
    content: [{ raw: html, extension: "html" }],
    css: [{ raw: css }],
    variables: true, // custom properties no kept rule uses (JupyterLab defines hundreds)
    keyframes: true,
    fontFace: true,
  });
  process.stdout.write(result.css);
});
