// Typeset formulas with the pinned KaTeX: reads [[display, tex], ...] as JSON on stdin,
// writes the MathML of each, in order, as a JSON list on stdout. One run serves a whole build.
"use strict";
const katex = require("katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const formulas = JSON.parse(input);
  const out = formulas.map(([display, tex]) =>
    katex.renderToString(tex, { displayMode: display, output: "mathml", throwOnError: false, strict: "ignore" })
  );
  process.stdout.write(JSON.stringify(out));
});
