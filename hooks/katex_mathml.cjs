// Typesets TeX as MathML with the pinned KaTeX (node_modules/katex), for hooks/math.py.
// Reads one JSON object per line on stdin, {"tex": "...", "display": true|false}, and writes
// one per line on stdout: {"html": "<span class=\"katex\"><math>...</math></span>"} or
// {"error": "KaTeX's message"}. MathML only: the browser draws it, no KaTeX script, style
// sheet or font reaches the page.
const katex = require("katex");
const readline = require("node:readline");

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const { tex, display } = JSON.parse(line);
  let reply;
  try {
    reply = {
      html: katex.renderToString(tex, {
        displayMode: display,
        output: "mathml",
        throwOnError: true,
        strict: "error",
      }),
    };
  } catch (error) {
    reply = { error: String(error.message || error) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
