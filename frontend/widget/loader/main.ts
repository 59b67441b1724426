// The embed script (/widget.js): finds its own <script> tag, adds the launcher, opens the chat
// frame in a panel and relays open/close/unread with it over origin-checked postMessage.
// Its only global is `window.SupportdeskWidget` ({open, close}).
import { findScript, frameUrl, readEmbedOptions } from "./script-tag";
import { createLauncher, type Launcher } from "./launcher";

interface SupportdeskWidgetApi {
  open(): void;
  close(): void;
}

declare global {
  interface Window {
    SupportdeskWidget?: SupportdeskWidgetApi;
  }
}

/** sessionStorage key on the host page: this tab has opened the chat, so later pages preload
 * the frame (hidden) and agent replies show on the badge while the visitor browses. */
const ENGAGED_KEY = "supportdesk.widget.engaged";

function remember(): void {
  try {
    sessionStorage.setItem(ENGAGED_KEY, "1");
  } catch {
    // Storage blocked: only the preload on the next page is lost.
  }
}

function engaged(): boolean {
  try {
    return sessionStorage.getItem(ENGAGED_KEY) === "1";
  } catch {
    return false;
  }
}

function install(): void {
  const script = findScript();
  if (!script || window.SupportdeskWidget) return;
  const options = readEmbedOptions(script);

  let launcher: Launcher | null = null;
  let isOpen = false;
  let frameReady = false;
  let wantOpen = false;

  const post = (type: string) => {
    const target = launcher && launcher.frame && launcher.frame.contentWindow;
    if (target && frameReady) target.postMessage({ type }, options.origin);
  };

  const loadFrame = (l: Launcher) => {
    if (l.frame) return l.frame;
    const frame = l.ensureFrame();
    frame.addEventListener("load", () => {
      frameReady = true;
      post(isOpen ? "supportdesk:open" : "supportdesk:close");
    });
    return frame;
  };

  const open = () => {
    if (!launcher) {
      wantOpen = true;
      return;
    }
    if (isOpen) return;
    isOpen = true;
    remember();
    const frame = loadFrame(launcher);
    launcher.setUnread(0);
    launcher.setOpen(true);
    frame.focus();
    post("supportdesk:open");
  };

  const close = () => {
    if (!launcher || !isOpen) return;
    const root = launcher.button.getRootNode() as ShadowRoot;
    const focusInside = root.activeElement === launcher.frame;
    isOpen = false;
    launcher.setOpen(false);
    post("supportdesk:close");
    if (focusInside) launcher.button.focus();
  };

  window.SupportdeskWidget = { open, close };

  const start = () => {
    const l = createLauncher(options.locale, frameUrl(options));
    launcher = l;
    l.button.addEventListener("click", () => (isOpen ? close() : open()));
    (l.button.getRootNode() as ShadowRoot).addEventListener("keydown", (event) => {
      if ((event as KeyboardEvent).key === "Escape" && isOpen) {
        close();
        l.button.focus();
      }
    });
    window.addEventListener("message", (event) => {
      if (event.origin !== options.origin || !l.frame || event.source !== l.frame.contentWindow) return;
      const data = event.data;
      if (!data || typeof data !== "object") return;
      if (data.type === "supportdesk:unread" && typeof data.count === "number") {
        l.setUnread(isOpen ? 0 : Math.max(0, data.count));
      } else if (data.type === "supportdesk:close" && isOpen) {
        close();
        l.button.focus();
      }
    });
    if (wantOpen) open();
    else if (engaged()) loadFrame(l);
  };

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
}

install();
