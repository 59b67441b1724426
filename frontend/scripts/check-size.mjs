// Gzips what the browser loads and fails when a front end is over its budget:
// - the widget's loader loads on every page of every customer's site, the rest on the first open;
// - the workspace's initial JS (index.html's scripts and module preloads: what runs before the
//   inbox shows; other pages load their own chunks later) must stay under 250 KB gzipped.
//   node scripts/check-size.mjs
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const KB = 1024;
const WEB_DIR = (process.env.SUPPORTDESK_WEB_OUT ?? new URL("../../supportdesk/web/", import.meta.url).pathname).replace(/\/?$/, "/");
const WIDGET_DIR = `${WEB_DIR}widget/`;
const AGENT_DIR = `${WEB_DIR}agent/`;
const LOADER = "widget.js";
const LOADER_BUDGET = 5 * KB;
const WIDGET_BUDGET = 40 * KB;
const WORKSPACE_INITIAL_JS_BUDGET = 250 * KB;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const format = (bytes) => `${(bytes / KB).toFixed(2)} KB`;
const gzipped = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

let built;
try {
  built = files(WIDGET_DIR).sort();
} catch {
  console.error(`check-size: ${WIDGET_DIR} does not exist; run \`npm run build\` first.`);
  process.exit(1);
}

const sizes = built.map((path) => {
  const content = readFileSync(path);
  return { name: relative(WIDGET_DIR, path), raw: content.length, gzip: gzipped(path) };
});

console.log(`widget (${WIDGET_DIR}):`);
for (const { name, raw, gzip } of sizes) {
  console.log(`  ${name.padEnd(36)} ${format(raw).padStart(10)}  gzip ${format(gzip).padStart(9)}`);
}
const loader = sizes.find((size) => size.name === LOADER);
const total = sizes.reduce((sum, size) => sum + size.gzip, 0);
console.log(`  loader ${format(loader ? loader.gzip : 0)} gzip of ${format(LOADER_BUDGET)}; whole widget ${format(total)} gzip of ${format(WIDGET_BUDGET)}`);

const failures = [];
if (!loader) failures.push(`the loader ${LOADER} is missing from ${WIDGET_DIR}`);
else if (loader.gzip > LOADER_BUDGET) {
  failures.push(`the loader ${LOADER} is ${format(loader.gzip)} gzipped, over its ${format(LOADER_BUDGET)} budget`);
}
if (total > WIDGET_BUDGET) {
  failures.push(`the whole widget is ${format(total)} gzipped, over its ${format(WIDGET_BUDGET)} budget`);
}
if (!sizes.some((size) => size.name === "frame.html")) failures.push(`frame.html is missing from ${WIDGET_DIR}`);

let index = "";
try {
  index = readFileSync(`${AGENT_DIR}index.html`, "utf8");
} catch {
  failures.push(`the workspace's index.html is missing from ${AGENT_DIR}`);
}
const initial = [...index.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/agent\/([^"]+\.js)"/g)].map((m) => m[1]);
const initialSize = initial.reduce((sum, name) => sum + gzipped(`${AGENT_DIR}${name}`), 0);
console.log(`workspace (${AGENT_DIR}): initial JS ${initial.length} files, ${format(initialSize)} gzip of ${format(WORKSPACE_INITIAL_JS_BUDGET)}`);
for (const name of initial) console.log(`  ${name.padEnd(44)} gzip ${format(gzipped(`${AGENT_DIR}${name}`)).padStart(9)}`);
if (index && !initial.length) failures.push("the workspace's index.html loads no script");
if (initialSize > WORKSPACE_INITIAL_JS_BUDGET) {
  failures.push(`the workspace's initial JS is ${format(initialSize)} gzipped, over its ${format(WORKSPACE_INITIAL_JS_BUDGET)} budget`);
}
for (const failure of failures) console.error(`check-size: FAIL: ${failure}`);
process.exit(failures.length ? 1 : 0);
