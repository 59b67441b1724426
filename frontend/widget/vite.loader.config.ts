// The loader: one self-contained IIFE at widget/widget.js (unhashed: sites embed its URL),
// served by the desk at /widget.js. Runs after the frame build, so it must not empty the folder.
import { defineConfig, type Plugin } from "vite";
import { webOut } from "../web-out";

const here = (path: string) => new URL(path, import.meta.url).pathname;

/** Writes every non-ASCII character as a \u escape: a classic script is decoded with the host
 * page's charset when the response names none, and the loader's Chinese strings must survive a
 * windows-1252 page. (Only strings hold such characters in our source.) */
const asciiOnly: Plugin = {
  name: "supportdesk-ascii-only",
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type === "chunk") {
        file.code = file.code.replace(
          /[^\x00-\x7f]/g,
          (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
        );
      }
    }
  },
};

export default defineConfig({
  root: here("."),
  plugins: [asciiOnly],
  publicDir: false,
  build: {
    outDir: webOut("widget"),
    emptyOutDir: false,
    // Host pages can be anything; keep the syntax conservative.
    target: "es2017",
    lib: {
      entry: here("loader/main.ts"),
      formats: ["iife"],
      // Required by Vite for IIFE builds; the entry exports nothing, so no global is created.
      name: "SupportdeskWidgetLoader",
      fileName: () => "widget.js",
    },
  },
});
