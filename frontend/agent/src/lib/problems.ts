// What went wrong, said in the agent's language: a toast for a refusal or a lost connection.
import { useMessage } from "naive-ui";
import { useI18n } from "vue-i18n";
import { ApiError } from "@/api/client";

/** The sentence for an error: the desk's own detail where it gave one, else by status. */
export function useProblemText(): (error: unknown) => string {
  const { t } = useI18n();
  return (error) => {
    if (!(error instanceof ApiError)) return t("errors.network");
    if (error.status === 404) return t("errors.notFound");
    if (error.status === 403) return t("errors.forbidden");
    if (error.status === 429) return t("errors.rateLimited");
    const fields = Object.values((error.problem.errors ?? {}) as Record<string, string[]>).flat();
    return t("errors.unexpected", { detail: fields[0] ?? error.message });
  };
}

/** `report(error)`: shows the error as a toast; returns it so a caller may rethrow. */
export function useReport(): (error: unknown) => unknown {
  const message = useMessage();
  const text = useProblemText();
  return (error) => {
    message.error(text(error));
    return error;
  };
}
