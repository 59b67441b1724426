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
  /** A language picked on the sign-in page: the account takes it if it holds no choice yet. */
  let pickedBeforeSignIn: Locale | null = null;
  /** The language the workspace speaks now: the agent's choice, else their browser's. */
  const locale = ref<Locale>(storedLocale());
  const timeZone = ref(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  setLocale(locale.value);

  const isAdmin = computed(() => user.value?.role === "admin");
  /** The agent's own choice of language on their account; null: follow the browser. */
  const localeChoice = computed<Locale | null>(() => (isLocale(user.value?.locale) ? user.value.locale : null));
  const clock = computed(() => ({ locale: locale.value, timeZone: timeZone.value }));

  function adopt(session: { user?: unknown; csrf_token?: string }): void {
    user.value = session.user as Me;
    setCsrfToken(session.csrf_token ?? null);
    state.value = "signed-in";
    expired.value = false;
    const preferences = session.user as Partial<Record<"locale" | "time_zone", unknown>>;
    showLocale(isLocale(preferences.locale) ? preferences.locale : null);
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

  /** Whether the desk still knows this session; an ended one ends here too, as any 401 does. */
  async function confirm(): Promise<boolean> {
    const { response } = await api.GET("/api/v1/session");
    if (response.status === 401 && state.value === "signed-in") end("expired");
    return response.ok;
  }

  async function signIn(email: string, password: string): Promise<void> {
    adopt(await answer(api.POST("/api/v1/session", { body: { email, password } })));
    const picked = pickedBeforeSignIn;
    pickedBeforeSignIn = null;
    if (picked && !localeChoice.value) chooseLocale(picked);
  }

  async function signOut(): Promise<void> {
    await api.DELETE("/api/v1/session");
    end("signed-out");
  }

  /** Speaks `choice`, or the browser's language for null, and leaves it to this browser's
   * sign-in page: a choice is remembered there, null is forgotten so that it follows too. */
  function showLocale(choice: Locale | null): void {
    locale.value = choice ?? browserLocale();
    if (choice) localStorage.setItem(LOCALE_KEY, choice);
    else localStorage.removeItem(LOCALE_KEY);
    setLocale(locale.value);
  }

  /** The agent's language (null: their browser's): shown at once, remembered in this browser
   * and on their account. */
  function chooseLocale(next: Locale | null, { remember = true } = {}): void {
    showLocale(next);
    if (state.value !== "signed-in") pickedBeforeSignIn = next;
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

  return { user, state, expired, locale, localeChoice, timeZone, clock, isAdmin, restore, confirm, signIn, signOut, chooseLocale, savePreferences };
});

function storedLocale(): Locale {
  const stored = localStorage.getItem(LOCALE_KEY);
  return isLocale(stored) ? stored : browserLocale();
}
