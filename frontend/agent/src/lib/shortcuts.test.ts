import { afterEach, describe, expect, it, vi } from "vitest";
import { activeKeys, bindShortcuts, dispatch, isTyping } from "./shortcuts";

const unbinds: (() => void)[] = [];
afterEach(() => unbinds.splice(0).forEach((unbind) => unbind()));

function press(key: string, target: EventTarget = document.body, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe("shortcuts", () => {
  it("runs the bound key and prevents its default", () => {
    const next = vi.fn();
    unbinds.push(bindShortcuts({ j: next }));
    const event = press("j");
    expect(next).toHaveBeenCalledOnce();
    expect(event.defaultPrevented).toBe(true);
  });

  it("ignores keys typed into fields and keys with Ctrl or Cmd", () => {
    const next = vi.fn();
    unbinds.push(bindShortcuts({ j: next }));
    const input = document.createElement("input");
    document.body.append(input);
    press("j", input);
    press("j", document.body, { ctrlKey: true });
    press("j", document.body, { metaKey: true });
    expect(next).not.toHaveBeenCalled();
    expect(isTyping(input)).toBe(true);
    input.remove();
  });

  it("leaves Enter on a button to the button", () => {
    const open = vi.fn();
    unbinds.push(bindShortcuts({ Enter: open }));
    const button = document.createElement("button");
    document.body.append(button);
    press("Enter", button);
    expect(open).not.toHaveBeenCalled();
    press("Enter");
    expect(open).toHaveBeenCalledOnce();
    button.remove();
  });

  it("gives a key to the latest binding and forgets a binding on cleanup", () => {
    const page = vi.fn();
    const dialog = vi.fn();
    unbinds.push(bindShortcuts({ Enter: page, j: page }));
    const unbindDialog = bindShortcuts({ Enter: dialog });
    expect([...activeKeys.value].sort()).toEqual(["Enter", "j"]);
    press("Enter");
    expect(dialog).toHaveBeenCalledOnce();
    unbindDialog();
    press("Enter");
    expect(page).toHaveBeenCalledOnce();
  });

  it("knows no key nobody bound", () => {
    expect(dispatch(new KeyboardEvent("keydown", { key: "q" }))).toBe(false);
  });
});
