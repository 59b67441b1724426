// The one way to merge two customers: a confirm dialog that first asks the desk what would move
// (merge-preview), then merges on "Merge". Used by the possible-match card and the customer page.
import { useDialog, useMessage } from "naive-ui";
import { h, ref } from "vue";
import { useI18n } from "vue-i18n";
import type { Customer, MergePreview } from "@/api/types";
import { useProblemText } from "@/lib/problems";
import { useCustomers } from "@/stores/customer";
import MergePreviewSummary from "./MergePreviewSummary.vue";

type Named = Pick<Customer, "id" | "name">;

export function useCustomerMerge() {
  const dialog = useDialog();
  const message = useMessage();
  const problemText = useProblemText();
  const customers = useCustomers();
  const { t } = useI18n();

  /** Resolves with the survivor once merged, or null when the agent cancels. */
  function confirmMerge(survivor: Named, source: Named): Promise<Customer | null> {
    const preview = ref<MergePreview | null>(null);
    const failed = ref<string | null>(null);
    customers.mergePreview(survivor.id, source.id).then(
      (answer) => (preview.value = answer),
      (error) => (failed.value = problemText(error)),
    );
    return new Promise((resolve) => {
      const handle = dialog.warning({
        title: t("customer.merge.title"),
        content: () => h(MergePreviewSummary, { source: source.name, survivor: survivor.name, preview: preview.value, failed: failed.value }),
        positiveText: t("customer.merge.confirm"),
        negativeText: t("common.cancel"),
        positiveButtonProps: { "data-testid": "merge-confirm" } as never,
        onPositiveClick: async () => {
          if (!preview.value) return false;
          handle.loading = true;
          try {
            const merged = await customers.merge(survivor.id, source.id);
            message.success(t("customer.merge.done", { source: source.name, survivor: survivor.name }));
            resolve(merged);
            return true;
          } catch (error) {
            failed.value = problemText(error);
            return false;
          } finally {
            handle.loading = false;
          }
        },
        onNegativeClick: () => resolve(null),
        onClose: () => resolve(null),
        onMaskClick: () => resolve(null),
      });
    });
  }

  return { confirmMerge };
}
