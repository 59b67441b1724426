// The chat frame: widget/frame.html and what it imports, served by the desk at /widget/frame
// (the page) and /widget/assets/<file> (hashed assets). Runs first and empties the built widget/ folder.
import { defineConfig } from "vite";
import { webOut } from "../web-out";

const here = (path: string) => new URL(path, import.meta.url).pathname;

export default defineConfig({
  root: here("."),
  base: "/widget/",
  publicDir: false,
  build: {
    outDir: webOut("widget"),
    emptyOutDir: true,
    assetsDir: "assets",
    modulePreload: { polyfill: false },
    rolldownOptions: { input: here("frame.html") },
  },
});
