// For this folder's tests: the workspace's own messages in a chosen language, as plain functions
// (the messages' inferred types are too deep to check a free-form key against).
import { addArea, i18n, type Locale } from "@/i18n";
import customerWords from "@/i18n/areas/customer";

addArea(customerWords);

type Global = {
  t: (key: string, named: object, options: { locale: string }) => string;
  te: (key: string, locale: string) => boolean;
};
const global = i18n.global as unknown as Global;

export function translator(locale: Locale) {
  return {
    t: (key: string, named?: Record<string, unknown>) => global.t(key, named ?? {}, { locale }),
    te: (key: string) => global.te(key, locale),
  };
}
