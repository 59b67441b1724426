// How a refusal reads to the visitor: the desk's own words (detail), the wait it asks for, and
// which fields of the form were wrong.
import type { FrameStrings } from "../../strings";
import type { Problem } from "../protocol";

export function problemText(t: FrameStrings, problem: Problem | null): string {
  if (!problem) return t.noAnswer;
  const parts = [problem.detail || problem.title || t.failed];
  const errors = problem.errors;
  if (errors && typeof errors === "object" && !Array.isArray(errors)) {
    for (const messages of Object.values(errors as Record<string, unknown>)) {
      const text = Array.isArray(messages) ? messages.join(" ") : String(messages);
      if (text && !parts.includes(text)) parts.push(text);
    }
  }
  if (typeof problem.retry_after === "number" && problem.retry_after > 0) {
    parts.push(t.retryAfter(Math.ceil(problem.retry_after)));
  }
  if (typeof problem.attempts_left === "number") parts.push(t.attemptsLeft(problem.attempts_left));
  return parts.join(" ");
}

/** Marks the form's controls the problem names (`errors: {field: [...]}`) as invalid. */
export function markInvalid(form: HTMLFormElement, problem: Problem | null): void {
  const errors = problem && problem.errors && typeof problem.errors === "object" ? problem.errors : {};
  for (const control of Array.from(form.querySelectorAll<HTMLInputElement>("[name]"))) {
    if (control.name in (errors as object)) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
}
