// What the loader put in the frame's address: the locale (query) and the site's identity
// (fragment, so it never reaches a server log).
import { pickLocale, type Locale } from "../strings";
import type { Identity } from "./protocol";

export interface Embed {
  locale: Locale;
  identity?: Identity;
}

export function readEmbed(): Embed {
  const query = new URLSearchParams(location.search);
  const fragment = new URLSearchParams(location.hash.slice(1));
  const identity: Identity = {};
  for (const key of ["external_id", "email", "name", "hash"] as const) {
    const value = fragment.get(key);
    if (value) identity[key] = value;
  }
  return {
    locale: pickLocale(query.get("locale") || navigator.language),
    identity: Object.keys(identity).length ? identity : undefined,
  };
}
