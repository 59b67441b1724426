// The agents' workspace: a single-page app. index.html is served by the desk at `/` and at every
// client-side route (see supportdesk/workspace/pages.py); the hashed assets at /agent/assets/<file>.
//   npm run dev:agent   (proxies the API and Socket.IO to a `supportdesk serve` on :5000)
/// <reference types="vitest/config" />
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import { webOut } from "../web-out";

const here = (path: string) => new URL(path, import.meta.url).pathname;
const desk = process.env.SUPPORTDESK_DEV_BACKEND ?? "http://127.0.0.1:5000";

export default defineConfig({
  root: here("."),
  base: "/agent/",
  publicDir: false,
  plugins: [vue()],
  resolve: { alias: { "@": here("src") } },
  build: {
    outDir: webOut("agent"),
    emptyOutDir: true,
    assetsDir: "assets",
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      "/api": desk,
      "/socket.io": { target: desk, ws: true },
    },
  },
  test: {
    root: here("."),
    environment: "happy-dom",
    include: ["src/**/*.test.ts"],
  },
});
