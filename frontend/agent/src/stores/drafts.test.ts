import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it } from "vitest";
import type { Me } from "@/api/types";
import { useDrafts } from "./drafts";
import { useSession } from "./session";

function signedInAs(id: number): void {
  useSession().user = { id, email: `agent${id}@example.com`, name: `Agent ${id}` } as Me;
}

describe("reply drafts", () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
  });

  it("come back to the agent who wrote them", () => {
    signedInAs(1);
    useDrafts().save(7, { body: "Sorry for the wait", internal: false });

    setActivePinia(createPinia()); // a reload: the stores start empty
    signedInAs(1);
    expect(useDrafts().load(7)).toEqual({ body: "Sorry for the wait", internal: false });
  });

  it("are never shown to a colleague signing in on the same browser", () => {
    signedInAs(1);
    useDrafts().save(7, { body: "Private thought", internal: true });

    signedInAs(2);
    expect(useDrafts().load(7)).toBeNull();
  });

  it("are forgotten when emptied or sent", () => {
    signedInAs(1);
    const drafts = useDrafts();
    drafts.save(7, { body: "first", internal: false });
    drafts.save(7, { body: "  ", internal: false });
    expect(drafts.load(7)).toBeNull();
    drafts.save(8, { body: "second", internal: false });
    drafts.discard(8);
    expect(drafts.load(8)).toBeNull();
  });
});
