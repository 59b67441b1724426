// A form's errors by field, from the desk's 422 (ApiError.field), shown beside each field.
import { reactive } from "vue";
import { ApiError } from "@/api/client";

export interface FieldErrors {
  errors: Record<string, string | undefined>;
  clear: () => void;
  /** Takes the desk's messages for these fields; true if it named any (else say it elsewhere). */
  take: (error: unknown, fields: readonly string[]) => boolean;
}

export function useFieldErrors(): FieldErrors {
  const errors = reactive<Record<string, string | undefined>>({});

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key];
  }

  function take(error: unknown, fields: readonly string[]): boolean {
    clear();
    if (!(error instanceof ApiError)) return false;
    let named = false;
    for (const field of fields) {
      const message = error.field(field);
      if (message) {
        errors[field] = message;
        named = true;
      }
    }
    return named;
  }

  return { errors, clear, take };
}

/** Naive UI's form-item props for a field: its error as feedback, in red. */
export function feedback(message: string | undefined): { feedback?: string; validationStatus?: "error" } {
  return message ? { feedback: message, validationStatus: "error" } : {};
}
