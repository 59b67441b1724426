// Leaving an e-mail: "Just save it" sends `identify` (unverified: agents see it as a possible
// match), "Send me a code" sends `verify.start`, then the 6-digit code goes to `verify.check`.
import type { FrameStrings } from "../../strings";
import type { RequestFailed } from "../connection";
import { markInvalid, problemText } from "./problem-text";
import { alertLine, field, h, input, sheet, whileBusy } from "./dom";

export interface EmailActions {
  identify(email: string, name: string | undefined): Promise<unknown>;
  start(email: string): Promise<unknown>;
  check(code: string): Promise<unknown>;
}

export function createEmailForm(t: FrameStrings, act: EmailActions, onDone: (notice: string | null) => void) {
  const email = input("sd-email-address", "email", { type: "email", autocomplete: "email", required: true });
  const name = input("sd-email-name", "name", { autocomplete: "name" });
  const emailError = alertLine("sd-email-error");
  const cancel = () => onDone(null);
  const save = h("button", { id: "sd-email-save", type: "button" }, t.saveEmail);
  const emailForm = h(
    "form",
    { id: "sd-email-form", class: "form" },
    h("p", { class: "intro" }, t.verifyIntro),
    field(t.email, email),
    field(t.name, name),
    emailError,
    h(
      "div",
      { class: "actions" },
      h("button", { id: "sd-email-send-code", type: "submit", class: "primary" }, t.sendCode),
      save,
      h("button", { id: "sd-email-cancel", type: "button", onclick: cancel }, t.cancel),
    ),
  );

  const code = input("sd-code", "code", {
    inputmode: "numeric",
    autocomplete: "one-time-code",
    pattern: "[0-9]{6}",
    maxlength: 6,
    required: true,
  });
  const sent = h("p", { id: "sd-code-sent", class: "intro", role: "status" });
  const codeError = alertLine("sd-code-error");
  const codeForm = h(
    "form",
    { id: "sd-code-form", class: "form", hidden: true },
    sent,
    field(t.code, code),
    codeError,
    h(
      "div",
      { class: "actions" },
      h("button", { id: "sd-code-check", type: "submit", class: "primary" }, t.check),
      h("button", { id: "sd-code-cancel", type: "button", onclick: cancel }, t.cancel),
    ),
  );
  const element = sheet("sd-email", t.verify, emailForm, codeForm);

  const refused = (form: HTMLFormElement, line: typeof emailError) => (failure: RequestFailed) => {
    markInvalid(form, failure.problem);
    line.say(problemText(t, failure.problem));
  };

  save.addEventListener("click", () => {
    if (!email.reportValidity()) return;
    emailError.say(null);
    whileBusy(emailForm, act.identify(email.value.trim(), name.value.trim() || undefined)).then(
      () => onDone(t.emailSaved),
      refused(emailForm, emailError),
    );
  });
  emailForm.addEventListener("submit", (event) => {
    event.preventDefault();
    emailError.say(null);
    const address = email.value.trim();
    whileBusy(emailForm, act.start(address)).then(() => {
      markInvalid(emailForm, null);
      emailForm.hidden = true;
      codeForm.hidden = false;
      sent.textContent = t.codeSent(address);
      code.value = "";
      code.focus();
    }, refused(emailForm, emailError));
  });
  codeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    codeError.say(null);
    whileBusy(codeForm, act.check(code.value.trim())).then(
      () => onDone(t.verifiedDone),
      (failure: RequestFailed) => {
        refused(codeForm, codeError)(failure);
        code.select();
      },
    );
  });

  return {
    element,
    open(known: { email?: string | null; name?: string | null }) {
      emailError.say(null);
      codeError.say(null);
      emailForm.hidden = false;
      codeForm.hidden = true;
      if (known.email && !email.value) email.value = known.email;
      if (known.name && !name.value) name.value = known.name;
      email.focus();
    },
  };
}
