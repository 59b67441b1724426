import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { i18n } from "@/i18n";
import { useSession } from "./session";

// The desk, as far as an account's language goes: sign-in answers the account, PATCH /me saves.
const desk = vi.hoisted(() => ({ account: {} as Record<string, unknown>, saved: [] as Record<string, unknown>[] }));
vi.mock("@/api/client", () => ({
  answer: async (promise: Promise<unknown>) => promise,
  setCsrfToken: () => undefined,
  whenUnauthorized: () => undefined,
  api: {
    POST: async () => ({ user: desk.account, csrf_token: "t" }),
    PATCH: async (_path: string, init: { body: Record<string, unknown> }) => {
      desk.saved.push(init.body);
      desk.account = { ...desk.account, ...init.body };
      return desk.account;
    },
  },
}));

const speaks = () => i18n.global.locale.value;

function browserSpeaks(...languages: string[]): void {
  vi.spyOn(navigator, "languages", "get").mockReturnValue(languages);
}

describe("the workspace's language", () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
    desk.saved = [];
    desk.account = { id: 1, locale: null, time_zone: "UTC", ring: true };
  });

  it("follows a Chinese browser for an agent who has not chosen", async () => {
    browserSpeaks("zh-CN", "en");
    localStorage.setItem("supportdesk.locale", "en"); // left by whoever used this browser before
    const session = useSession();

    await session.signIn("mei@desk.example", "password");

    expect(session.locale).toBe("zh-CN");
    expect(speaks()).toBe("zh-CN");
    expect(session.localeChoice).toBeNull();
    expect(desk.saved).toEqual([]); // following the browser is not a choice made for them
  });

  it("keeps the agent's choice of English in a Chinese browser", async () => {
    browserSpeaks("zh-TW");
    desk.account.locale = "en";
    const session = useSession();

    await session.signIn("li@desk.example", "password");

    expect(session.locale).toBe("en");
    expect(session.localeChoice).toBe("en");
  });

  it("saves a choice on the account, and going back to the browser saves null", async () => {
    browserSpeaks("zh-CN");
    const session = useSession();
    await session.signIn("mei@desk.example", "password");

    session.chooseLocale("en");
    expect(speaks()).toBe("en");
    await vi.waitFor(() => expect(session.localeChoice).toBe("en"));

    session.chooseLocale(null);
    expect(speaks()).toBe("zh-CN");
    await vi.waitFor(() => expect(session.localeChoice).toBeNull());
    expect(desk.saved).toEqual([{ locale: "en" }, { locale: null }]);
    expect(localStorage.getItem("supportdesk.locale")).toBeNull(); // the sign-in page follows too
  });

  it("keeps a language picked on the sign-in page for an agent who has not chosen", async () => {
    browserSpeaks("zh-CN");
    const session = useSession();
    session.chooseLocale("en"); // on the sign-in page, before anyone is signed in

    await session.signIn("mei@desk.example", "password");

    expect(speaks()).toBe("en");
    await vi.waitFor(() => expect(session.localeChoice).toBe("en"));
    expect(desk.saved).toEqual([{ locale: "en" }]);
  });
});
