// The launcher button with its unread badge and the panel holding the chat frame, all inside a
// shadow root so neither the host page's CSS reaches in nor ours leaks out.
import { loaderStrings, type Locale } from "../strings";
import { FULL_SCREEN, holdPage } from "./modal";

export interface Launcher {
  button: HTMLButtonElement;
  panel: HTMLDivElement;
  /** The panel's iframe, created on first need (see `ensureFrame`). */
  frame: HTMLIFrameElement | null;
  ensureFrame(): HTMLIFrameElement;
  setOpen(open: boolean): void;
  setUnread(count: number): void;
}

const STYLE = `
:host{all:initial}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;
border:0;border-radius:50%;padding:0;margin:0;cursor:pointer;background:#2456c8;color:#fff;
box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}
.launcher:hover{background:#1d47a8}
.launcher:focus-visible{outline:3px solid #1f2328;outline-offset:2px;box-shadow:0 0 0 2px #fff}
.launcher svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;
box-sizing:border-box;border-radius:10px;background:#d93025;color:#fff;
font:700 12px/20px system-ui,sans-serif;text-align:center}
.panel{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:370px;
height:min(600px,calc(100vh - 108px));border-radius:12px;overflow:hidden;background:#fff;
box-shadow:0 8px 30px rgba(0,0,0,.3)}
.panel iframe{display:block;width:100%;height:100%;border:0}
[hidden]{display:none!important}
@media ${FULL_SCREEN}{.panel{inset:0;width:100%;height:100%;border-radius:0}
.open .launcher{display:none}}
`;

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2z"/></svg>';
const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7 4.3 4.3l6.3 6.3 6.3-6.3z"/></svg>';

export function createLauncher(locale: Locale, frameSrc: string): Launcher {
  const text = loaderStrings[locale];
  const host = document.createElement("div");
  host.setAttribute("data-supportdesk-widget", "");
  host.style.cssText = "all:initial;position:static";
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    `<style>${STYLE}</style><div class="wrap">` +
    `<div class="panel" id="panel" role="dialog" hidden></div>` +
    `<button class="launcher" id="launcher" type="button" aria-expanded="false" aria-controls="panel">` +
    `<span class="icon"></span><span class="badge" aria-hidden="true" hidden></span></button></div>`;
  const wrap = root.querySelector(".wrap") as HTMLDivElement;
  const panel = root.getElementById("panel") as HTMLDivElement;
  const button = root.getElementById("launcher") as HTMLButtonElement;
  const icon = button.querySelector(".icon") as HTMLSpanElement;
  const badge = button.querySelector(".badge") as HTMLSpanElement;
  panel.setAttribute("aria-label", text.panel);
  document.body.appendChild(host);

  let open = false;
  let unread = 0;
  let release: (() => void) | null = null;
  const fullScreen = window.matchMedia(FULL_SCREEN);
  /** Open and full screen: modal (see modal.ts); a phone turned or a window resized re-decides. */
  const hold = () => {
    const modal = open && fullScreen.matches;
    if (modal && !release) release = holdPage(host, panel);
    else if (!modal && release) {
      release();
      release = null;
    }
    panel.setAttribute("aria-modal", String(modal));
  };
  fullScreen.addEventListener("change", hold);
  const render = () => {
    wrap.className = open ? "wrap open" : "wrap";
    panel.hidden = !open;
    icon.innerHTML = open ? CLOSE_ICON : CHAT_ICON;
    button.setAttribute("aria-expanded", String(open));
    button.setAttribute("aria-label", open ? text.close : unread ? text.unread(unread) : text.open);
    badge.hidden = open || !unread;
    badge.textContent = unread > 99 ? "99+" : String(unread);
    hold();
  };
  render();

  const launcher: Launcher = {
    button,
    panel,
    frame: null,
    ensureFrame() {
      if (!launcher.frame) {
        const frame = document.createElement("iframe");
        frame.title = text.panel;
        frame.src = frameSrc;
        panel.appendChild(frame);
        launcher.frame = frame;
      }
      return launcher.frame;
    },
    setOpen(value) {
      open = value;
      render();
    },
    setUnread(count) {
      unread = count;
      render();
    },
  };
  return launcher;
}
