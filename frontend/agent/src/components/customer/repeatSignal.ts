// The repeat-contact signal's headline, from the desk's structured `repeat`: "3rd contact in
// 7 days, on 2 channels" / "7 天内第 3 次联系，涉及 2 个渠道". The desk sends numbers and channel
// names only; the words (and English ordinals) are the workspace's.
import type { Repeat } from "@/api/types";

type Translate = (key: string, named?: Record<string, unknown>) => string;

const ORDINAL_SUFFIX: Record<string, string> = { one: "st", two: "nd", few: "rd", other: "th" };

/** "1st", "2nd", "3rd", "4th", "11th", "22nd" in English; the bare number in Chinese (第 3 次). */
export function ordinal(count: number, locale: string): string {
  if (!locale.startsWith("en")) return String(count);
  const rule = new Intl.PluralRules("en", { type: "ordinal" }).select(count);
  return `${count}${ORDINAL_SUFFIX[rule] ?? "th"}`;
}

export function repeatHeadline(repeat: Pick<Repeat, "count" | "days" | "channels">, locale: string, t: Translate): string {
  const named = { ordinal: ordinal(repeat.count, locale), days: repeat.days };
  if (repeat.channels.length === 1) {
    return t("customer.repeat.titleOneChannel", { ...named, channel: t(`channel.${repeat.channels[0]}`).toLocaleLowerCase(locale) });
  }
  return t("customer.repeat.title", { ...named, channels: repeat.channels.length });
}
