// "Are you sure?" for what cannot be undone: a dialog whose confirm button runs the action and
// stays busy until it is done; a failure is reported and the dialog closes.
import { useDialog } from "naive-ui";
import { useI18n } from "vue-i18n";
import { useReport } from "@/lib/problems";

export interface Confirmation {
  title: string;
  content: string;
  confirm: string;
  action: () => Promise<void>;
}

export function useConfirm(): (what: Confirmation) => void {
  const dialog = useDialog();
  const report = useReport();
  const { t } = useI18n();
  return ({ title, content, confirm, action }) => {
    const shown = dialog.warning({
      title,
      content,
      positiveText: confirm,
      negativeText: t("common.cancel"),
      positiveButtonProps: { type: "error", "data-testid": "confirm" } as never,
      onPositiveClick: async () => {
        shown.loading = true;
        try {
          await action();
        } catch (error) {
          report(error);
        }
      },
    });
  };
}
