// Gzips every built widget file and fails when the widget is over its budget: the loader loads on
// every page of every customer's site, the rest on the first open of the chat.
//   node scripts/check-size.mjs
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const KB = 1024;
const WIDGET_DIR = new URL("../dist/widget/", import.meta.url).pathname;
const LOADER = "widget.js";
const LOADER_BUDGET = 5 * KB;
const WIDGET_BUDGET = 40 * KB;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const format = (bytes) => `${(bytes / KB).toFixed(2)} KB`;

let built;
try {
  built = files(WIDGET_DIR).sort();
} catch {
  console.error(`check-size: ${WIDGET_DIR} does not exist; run \`npm run build\` first.`);
  process.exit(1);
}

const sizes = built.map((path) => {
  const content = readFileSync(path);
  return { name: relative(WIDGET_DIR, path), raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
});

console.log("widget (dist/widget/):");
for (const { name, raw, gzip } of sizes) {
  console.log(`  ${name.padEnd(36)} ${format(raw).padStart(10)}  gzip ${format(gzip).padStart(9)}`);
}
const loader = sizes.find((size) => size.name === LOADER);
const total = sizes.reduce((sum, size) => sum + size.gzip, 0);
console.log(`  loader ${format(loader ? loader.gzip : 0)} gzip of ${format(LOADER_BUDGET)}; whole widget ${format(total)} gzip of ${format(WIDGET_BUDGET)}`);

const failures = [];
if (!loader) failures.push(`the loader ${LOADER} is missing from dist/widget/`);
else if (loader.gzip > LOADER_BUDGET) {
  failures.push(`the loader ${LOADER} is ${format(loader.gzip)} gzipped, over its ${format(LOADER_BUDGET)} budget`);
}
if (total > WIDGET_BUDGET) {
  failures.push(`the whole widget is ${format(total)} gzipped, over its ${format(WIDGET_BUDGET)} budget`);
}
if (!sizes.some((size) => size.name === "frame.html")) failures.push("frame.html is missing from dist/widget/");
for (const failure of failures) console.error(`check-size: FAIL: ${failure}`);
process.exit(failures.length ? 1 : 0);
