// vue-i18n set up once: English and Simplified Chinese, each area's words from i18n/areas/.
// A new area: add a file there with `{ en: {...}, "zh-CN": {...} }` and list it in AREAS if the
// first download needs it (the header, the inbox, the ticket page); a page in a chunk of its own
// brings its words along instead: `addArea(area)` in its setup (the admin and customer pages).
import type { Ref } from "vue";
import { createI18n } from "vue-i18n";
import common from "./areas/common";
import inbox from "./areas/inbox";
import preferences from "./areas/preferences";
import notifications from "./areas/notifications";
import shortcuts from "./areas/shortcuts";
import ticket from "./areas/ticket";

export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

// vue-i18n checks message shapes itself; here a message tree is any nested object of strings.
type Messages = Record<string, any>;
export type Area = Record<Locale, Messages>;
const AREAS: Area[] = [common, inbox, notifications, shortcuts, ticket, preferences];

const messages = Object.fromEntries(
  LOCALES.map((locale) => [locale, Object.assign({}, ...AREAS.map((area) => area[locale]))]),
) as Record<Locale, Messages>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The browser's language, for an agent who has not chosen one: the first of the browser's
 * languages (navigator.language first) that the workspace speaks, any zh-* being Chinese; else English. */
export function browserLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const language of languages.map((tag) => tag.toLowerCase())) {
    if (language.startsWith("zh")) return "zh-CN";
    if (language === "en" || language.startsWith("en-")) return "en";
  }
  return "en";
}

export const i18n = createI18n({
  legacy: false,
  locale: browserLocale(),
  fallbackLocale: "en",
  messages,
  missingWarn: false,
  fallbackWarn: false,
});

/** Adds the words of a page that loads in a chunk of its own (idempotent). */
export function addArea(area: Area): void {
  for (const locale of LOCALES) i18n.global.mergeLocaleMessage(locale, area[locale]);
}

export function setLocale(locale: Locale): void {
  (i18n.global.locale as unknown as Ref<string>).value = locale;
  document.documentElement.lang = locale;
}
