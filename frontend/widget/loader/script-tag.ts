// What the embedding <script> tag says: where the desk is, the locale, the site's signed-in user.
import { pickLocale, type Locale } from "../strings";

export interface EmbedOptions {
  /** The desk's origin, taken from the script's own src: the frame and the socket live there. */
  origin: string;
  locale: Locale;
  /** `external_id`, `email`, `name`, `hash` as given by the site; empty when it gave none. */
  identity: URLSearchParams;
}

const IDENTITY_ATTRIBUTES = ["external_id", "email", "name", "hash"];

/** The <script> that loaded us: currentScript while it runs, else the last `.../widget.js`. */
export function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  const candidates = document.querySelectorAll<HTMLScriptElement>("script[src]");
  for (let i = candidates.length - 1; i >= 0; i--) {
    if (/\/widget\.js(?:[?#]|$)/.test(candidates[i].src)) return candidates[i];
  }
  return null;
}

export function readEmbedOptions(script: HTMLScriptElement): EmbedOptions {
  const identity = new URLSearchParams();
  for (const name of IDENTITY_ATTRIBUTES) {
    const value = script.getAttribute("data-" + name.replace("_", "-"));
    if (value) identity.set(name, value);
  }
  return {
    origin: new URL(script.src, location.href).origin,
    locale: pickLocale(script.getAttribute("data-locale") || navigator.language),
    identity,
  };
}

/** The frame's address: locale in the query; identity in the fragment, never sent to a server. */
export function frameUrl(options: EmbedOptions): string {
  const fragment = options.identity.toString();
  return (
    options.origin + "/widget/frame?locale=" + encodeURIComponent(options.locale) +
    (fragment ? "#" + fragment : "")
  );
}
