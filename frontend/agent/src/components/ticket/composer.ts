// The composer's rules, apart from its template (and tested: composer.test.ts).
import type { User } from "@/api/types";

/** Re-say "typing" at most this often while the agent types (others forget it after a while). */
export const TYPING_EVERY_MS = 3000;
/** No key for this long: the agent stopped typing. */
export const TYPING_IDLE_MS = 4000;

/** `@handle` choices for a note: the desk knows an agent by their name without its spaces
 * (and by their e-mail's local part), so the name is what is written after the @. */
export function mentionOptions(agents: readonly Pick<User, "name" | "email">[]): { label: string; value: string }[] {
  return agents
    .map((agent) => ({ label: agent.name, value: agent.name.split(/\s+/).join("") }))
    .filter((option) => option.value);
}

/** "typing" for colleagues, throttled: `input()` on every keystroke sends at most one event
 * every TYPING_EVERY_MS, and a "stopped" after TYPING_IDLE_MS without keys (or on `stop()`). */
export function typingSignal(say: (typing: boolean) => void, clock: { now: () => number } = Date) {
  let saidAt = 0;
  let typing = false;
  let idle: ReturnType<typeof setTimeout> | null = null;

  function stop(): void {
    if (idle) clearTimeout(idle);
    idle = null;
    if (typing) say(false);
    typing = false;
    saidAt = 0;
  }

  function input(): void {
    const now = clock.now();
    if (!typing || now - saidAt >= TYPING_EVERY_MS) {
      say(true);
      typing = true;
      saidAt = now;
    }
    if (idle) clearTimeout(idle);
    idle = setTimeout(stop, TYPING_IDLE_MS);
  }

  return { input, stop };
}

/** Whether a mention choice fits what follows the @ (any part of the name, any case). */
export function mentionMatches(pattern: string, option: { label?: unknown; value?: unknown }): boolean {
  const wanted = pattern.toLocaleLowerCase();
  return [option.label, option.value].some((text) => typeof text === "string" && text.toLocaleLowerCase().includes(wanted));
}
