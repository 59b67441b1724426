// When no agent is online: name, e-mail and message become an `offline_message` (a ticket the
// desk answers by e-mail), with its reference shown once stored.
import type { FrameStrings } from "../../strings";
import type { RequestFailed } from "../connection";
import { markInvalid, problemText } from "./problem-text";
import { alertLine, field, h, input, whileBusy } from "./dom";
import { newClientId } from "../client-id";

export interface OfflineMessage {
  name?: string;
  email: string;
  body: string;
  /** The same for every try of one message: a try whose answer was lost is not stored twice. */
  client_id: string;
}

export function createOfflineForm(t: FrameStrings, send: (message: OfflineMessage) => Promise<{ ref: string }>) {
  const name = input("sd-offline-name", "name", { autocomplete: "name", dir: "auto" });
  const email = input("sd-offline-email", "email", { type: "email", autocomplete: "email", required: true });
  const body = h("textarea", { id: "sd-offline-body", name: "body", rows: 4, dir: "auto", required: true });
  const error = alertLine("sd-offline-error");
  const submit = h("button", { id: "sd-offline-send", type: "submit", class: "primary" }, t.offlineSend);
  const form = h(
    "form",
    { id: "sd-offline-form", class: "form" },
    h("p", { class: "intro" }, t.offlineIntro),
    field(t.name, name),
    field(t.email, email),
    field(t.message, body),
    error,
    h("div", { class: "actions" }, submit),
  );
  const thanks = h("p", { id: "sd-offline-thanks", class: "notice", role: "status", tabindex: -1, hidden: true });
  const element = h("div", { id: "sd-offline", class: "offline", hidden: true }, form, thanks);
  // One id per message as written: sent again unchanged, it is the same message.
  let clientId = newClientId();
  form.addEventListener("input", () => (clientId = newClientId()));

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    error.say(null);
    const message: OfflineMessage = { email: email.value.trim(), body: body.value.trim(), client_id: clientId };
    if (name.value.trim()) message.name = name.value.trim();
    whileBusy(form, send(message)).then(
      (ack) => {
        markInvalid(form, null);
        body.value = "";
        form.hidden = true;
        thanks.replaceChildren(...withReference(t.offlineThanks(String(ack.ref)), String(ack.ref)));
        thanks.hidden = false;
        thanks.focus();
      },
      (failure: RequestFailed) => {
        markInvalid(form, failure.problem);
        error.say(problemText(t, failure.problem));
      },
    );
  });

  return {
    element,
    /** Fills what the visitor gave elsewhere (name, e-mail, the words of a message), unless already typed. */
    prefill(values: { name?: string | null; email?: string | null; body?: string }) {
      if (values.name && !name.value) name.value = values.name;
      if (values.email && !email.value) email.value = values.email;
      if (values.body && !body.value) body.value = values.body;
    },
    /** The first field still to fill in (the name, for a visitor who gave nothing yet). */
    focus() {
      if (form.hidden) thanks.focus();
      else ([name, email, body].find((control) => !control.value) || body).focus();
    },
  };
}

/** The sentence with the ticket reference kept on one line (`SD-1042` would break at its hyphen). */
function withReference(sentence: string, ref: string): (Node | string)[] {
  const at = sentence.indexOf(ref);
  if (at < 0) return [sentence];
  return [sentence.slice(0, at), h("span", { class: "ref" }, ref), sentence.slice(at + ref.length)];
}
