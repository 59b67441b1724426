// Who is signed in, and the session's CSRF token. `restore()` asks the desk on start (the cookie
// may still be good); any 401 later ends the session here and the router shows sign-in,
// remembering where the agent was (their drafts stay in stores/drafts.ts).
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { answer, api, setCsrfToken, whenUnauthorized } from "@/api/client";
import type { Me, PreferencesChanges } from "@/api/types";
import { browserLocale, isLocale, setLocale, type Locale } from "@/i18n";

type State = "unknown" | "signed-in" | "signed-out";

const LOCALE_KEY = "supportdesk.locale";

export const useSession = defineStore("session", () => {
  const user = ref<Me | null>(null);
  const state = ref<State>("unknown");
  const expired = ref(false);
  const locale = ref<Locale>(storedLocale());
  const timeZone = ref(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  setLocale(locale.value);

  const isAdmin = computed(() => user.value?.role === "admin");
  const clock = computed(() => ({ locale: locale.value, timeZone: timeZone.value }));

  function adopt(session: { user?: unknown; csrf_token?: string }): void {
    user.value = session.user as Me;
    setCsrfToken(session.csrf_token ?? null);
    state.value = "signed-in";
    expired.value = false;
    const preferences = session.user as Partial<Record<"locale" | "time_zone", unknown>>;
    if (isLocale(preferences.locale)) chooseLocale(preferences.locale, { remember: false });
    if (typeof preferences.time_zone === "string" && preferences.time_zone) timeZone.value = preferences.time_zone;
  }

  function end(reason: "signed-out" | "expired"): void {
    user.value = null;
    setCsrfToken(null);
    state.value = "signed-out";
    expired.value = reason === "expired";
  }

  async function restore(): Promise<void> {
    const { data, response } = await api.GET("/api/v1/session");
    if (response.ok && data) adopt(data);
    else end("signed-out");
  }

  async function signIn(email: string, password: string): Promise<void> {
    adopt(await answer(api.POST("/api/v1/session", { body: { email, password } })));
  }

  async function signOut(): Promise<void> {
    await api.DELETE("/api/v1/session");
    end("signed-out");
  }

  /** The agent's language: shown at once, remembered in this browser and on their account. */
  function chooseLocale(next: Locale, { remember = true } = {}): void {
    locale.value = next;
    localStorage.setItem(LOCALE_KEY, next);
    setLocale(next);
    // Kept in this browser whatever happens: a failed save only means the next one tries again.
    if (remember && state.value === "signed-in") void savePreferences({ locale: next }).catch(() => undefined);
  }

  /** Saves the agent's preferences (PATCH /me: locale, time_zone, ring); throws the desk's ApiError. */
  async function savePreferences(changes: PreferencesChanges): Promise<void> {
    const me = (await answer(api.PATCH("/api/v1/me", { body: changes }))) as Me;
    user.value = me;
    if (me.time_zone) timeZone.value = me.time_zone;
  }

  whenUnauthorized(() => {
    if (state.value === "signed-in") end("expired");
  });

  return { user, state, expired, locale, timeZone, clock, isAdmin, restore, signIn, signOut, chooseLocale, savePreferences };
});

function storedLocale(): Locale {
  const stored = localStorage.getItem(LOCALE_KEY);
  return isLocale(stored) ? stored : browserLocale();
}
