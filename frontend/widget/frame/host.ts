// The page that embeds us, through the loader: `supportdesk:open` / `supportdesk:close` come in,
// `supportdesk:unread {count}` and `supportdesk:close` go out. Opened on its own (not in an
// iframe), the frame is simply always open.

export interface Host {
  embedded: boolean;
  isOpen(): boolean;
  /** Agent messages arrived: counted as unread while the panel is closed. */
  agentMessages(count: number): void;
  /** The visitor closed the chat (close button, Escape): the loader hides the panel. */
  requestClose(): void;
}

export function connectHost(onOpen: () => void): Host {
  const embedded = window.parent !== window;
  let open = !embedded;
  let unread = 0;
  // Where our posts may go: the embedding page's origin once known, else anyone (they carry
  // nothing but a count).
  let parentOrigin = location.ancestorOrigins?.[0] || referrerOrigin() || "*";

  const post = (message: object) => {
    if (embedded) window.parent.postMessage(message, parentOrigin);
  };

  window.addEventListener("message", (event) => {
    if (!embedded || event.source !== window.parent) return;
    if (parentOrigin !== "*" && event.origin !== parentOrigin) return;
    const type = event.data && event.data.type;
    if (type === "supportdesk:open") {
      parentOrigin = event.origin;
      open = true;
      unread = 0;
      post({ type: "supportdesk:unread", count: 0 });
      onOpen();
    } else if (type === "supportdesk:close") {
      open = false;
    }
  });

  return {
    embedded,
    isOpen: () => open,
    agentMessages(count) {
      if (open || !count) return;
      unread += count;
      post({ type: "supportdesk:unread", count: unread });
    },
    requestClose() {
      if (!embedded) return;
      open = false;
      post({ type: "supportdesk:close" });
    },
  };
}

function referrerOrigin(): string | undefined {
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined;
  } catch {
    return undefined;
  }
}
