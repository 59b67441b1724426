// The preferences dialog, opened from the account menu: fetched the first time it opens, so
// the time-zone list stays out of the workspace's first download.
import { defineAsyncComponent, ref } from "vue";

export const PreferencesDialog = defineAsyncComponent(() => import("./PreferencesDialog.vue"));
export const preferencesOpen = ref(false);
