// How a refusal reads to the visitor, in the widget's language: the desk's problems (RFC 9457,
// docs/chat.md) are told apart by status, the fields at fault and the event refused, never by
// their English `detail`, which a zh-CN visitor must not be shown.
import type { FrameStrings } from "../../strings";
import type { Problem } from "../protocol";

type FieldName = keyof FrameStrings["fieldErrors"];

export function problemText(t: FrameStrings, problem: Problem | null): string {
  if (!problem) return t.noAnswer;
  const fields = fieldsAtFault(problem);
  const parts = fields.length && (problem.status === 400 || problem.status === 422) ? [] : [summary(t, problem)];
  for (const field of fields) {
    const text = field in t.fieldErrors ? t.fieldErrors[field as FieldName] : t.invalid;
    if (!parts.includes(text)) parts.push(text);
  }
  if (typeof problem.retry_after === "number" && problem.retry_after > 0) {
    parts.push(t.retryAfter(Math.ceil(problem.retry_after)));
  }
  if (typeof problem.attempts_left === "number" && problem.attempts_left > 0) {
    parts.push(t.attemptsLeft(problem.attempts_left));
  }
  return parts.join(" ");
}

/** The sentence for a problem that names no field (those say it themselves). */
function summary(t: FrameStrings, problem: Problem): string {
  switch (problem.status) {
    case 404:
      return t.sessionEnded;
    case 413:
      return t.fieldErrors.body;
    case 429:
      return t.tooFast;
    case 422:
      if (problem.event === "verify.check") return problem.attempts_left ? t.codeWrong : t.codeExpired;
      if (problem.event === "transcript") return t.nothingToSend;
      return t.invalid;
    case 400:
      return t.invalid;
    default:
      return t.failed;
  }
}

function fieldsAtFault(problem: Problem): string[] {
  const errors = problem.errors;
  return errors && typeof errors === "object" && !Array.isArray(errors) ? Object.keys(errors) : [];
}

/** Marks the form's controls the problem names (`errors: {field: [...]}`) as invalid. */
export function markInvalid(form: HTMLFormElement, problem: Problem | null): void {
  const errors = problem && problem.errors && typeof problem.errors === "object" ? problem.errors : {};
  for (const control of Array.from(form.querySelectorAll<HTMLInputElement>("[name]"))) {
    if (control.name in (errors as object)) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
}
