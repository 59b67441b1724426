// A time in an admin table: short ("14:05", "Mon 14:05", "12 Mar 2026, 14:05"), the full
// date and time on hover, in the agent's language and time zone.
import { h, type VNode } from "vue";
import { formatFullTime, formatTime, type Clock } from "@/lib/format";

export function timeCell(iso: string, clock: Clock): VNode {
  return h("time", { datetime: iso, title: formatFullTime(iso, clock) }, formatTime(iso, clock));
}
