// The incoming-chat ring: a short two-note chime made with WebAudio (no sound file to download).
// Browsers keep audio silent until the page has had a click or a key: the first ring after
// opening the tab may be silent, which is why a chat also badges the title and shows a notice.

let context: AudioContext | null = null;

/** The two notes (Hz) and their start times (s): a soft rising chime, under half a second. */
export const CHIME = [
  { frequency: 880, at: 0, length: 0.18 },
  { frequency: 1318.5, at: 0.16, length: 0.28 },
] as const;

/** Plays the chime; false when the browser has no WebAudio or will not play now. */
export function ring(volume = 0.2): boolean {
  const Context = typeof window !== "undefined" ? window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext : undefined;
  if (!Context) return false;
  try {
    context ??= new Context();
    if (context.state === "suspended") void context.resume();
    const start = context.currentTime + 0.01;
    for (const note of CHIME) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = note.frequency;
      // A quick rise and an exponential fade: a chime, not a beep with clicks at its ends.
      gain.gain.setValueAtTime(0.0001, start + note.at);
      gain.gain.exponentialRampToValueAtTime(volume, start + note.at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + note.at + note.length);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + note.at);
      oscillator.stop(start + note.at + note.length + 0.02);
    }
    return true;
  } catch {
    return false;
  }
}

/** "(3) Supportdesk": the title with a count of what waits for the agent (none: no prefix). */
export function badgedTitle(title: string, count: number): string {
  const bare = title.replace(/^\(\d+\+?\)\s*/, "");
  if (count <= 0) return bare;
  return `(${count > 99 ? "99+" : count}) ${bare}`;
}
