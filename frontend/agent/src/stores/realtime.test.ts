import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useRealtime } from "./realtime";

// A socket as Socket.IO hands it out: `active` is false once the desk closed or refused it.
const fake = vi.hoisted(() => {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const socket = {
    active: true,
    connect: vi.fn(),
    disconnect: vi.fn(),
    on: (event: string, listener: (...args: unknown[]) => void) => listeners.set(event, listener),
    onAny: () => undefined,
    io: { on: () => undefined },
  };
  return { socket, listeners, confirm: vi.fn<() => Promise<boolean>>() };
});
vi.mock("socket.io-client", () => ({ io: () => fake.socket }));
vi.mock("@/stores/session", () => ({ useSession: () => ({ confirm: fake.confirm }) }));

function closedByTheDesk(): void {
  fake.socket.active = false;
  fake.listeners.get("disconnect")?.("io server disconnect");
}

describe("the /agent socket the desk closes", () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
    fake.socket.active = true;
    fake.socket.connect.mockClear();
    fake.confirm.mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it("asks whether the session stands, and connects again if it does, telling the pages", async () => {
    fake.confirm.mockResolvedValue(true);
    const realtime = useRealtime();
    realtime.connect();
    const reconnected = vi.fn();
    realtime.on("reconnect", reconnected);
    closedByTheDesk();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fake.confirm).toHaveBeenCalledOnce();
    expect(fake.socket.connect).toHaveBeenCalledOnce();
    fake.listeners.get("connect")?.();
    expect(reconnected).toHaveBeenCalledOnce();
    expect(realtime.connection).toBe("connected");
  });

  it("stays closed when the session ended (the session store sends the agent to sign in)", async () => {
    fake.confirm.mockResolvedValue(false);
    useRealtime().connect();
    closedByTheDesk();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.confirm).toHaveBeenCalledOnce();
    expect(fake.socket.connect).not.toHaveBeenCalled();
  });

  it("leaves a lost connection to Socket.IO's own retries", async () => {
    useRealtime().connect();
    fake.listeners.get("disconnect")?.("transport close");
    fake.listeners.get("connect_error")?.(new Error("xhr poll error"));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.confirm).not.toHaveBeenCalled();
  });
});
