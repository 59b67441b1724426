// "E-mail me the transcript": asks for (or confirms) the address, then `transcript {email}`.
import type { FrameStrings } from "../../strings";
import type { RequestFailed } from "../connection";
import { markInvalid, problemText } from "./problem-text";
import { alertLine, field, h, input, sheet, whileBusy } from "./dom";

export function createTranscriptForm(
  t: FrameStrings,
  send: (email: string) => Promise<unknown>,
  onDone: (notice: string | null) => void,
) {
  const email = input("sd-transcript-email", "email", { type: "email", autocomplete: "email", required: true });
  const error = alertLine("sd-transcript-error");
  const form = h(
    "form",
    { id: "sd-transcript-form", class: "form" },
    h("p", { class: "intro" }, t.transcriptIntro),
    field(t.email, email),
    error,
    h(
      "div",
      { class: "actions" },
      h("button", { id: "sd-transcript-send", type: "submit", class: "primary" }, t.transcriptSend),
      h("button", { id: "sd-transcript-cancel", type: "button", onclick: () => onDone(null) }, t.cancel),
    ),
  );
  const element = sheet("sd-transcript", t.transcript, form);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    error.say(null);
    whileBusy(form, send(email.value.trim())).then(
      () => onDone(t.transcriptSent),
      (failure: RequestFailed) => {
        markInvalid(form, failure.problem);
        error.say(problemText(t, failure.problem));
      },
    );
  });

  return {
    element,
    open(knownEmail: string | null | undefined) {
      error.say(null);
      if (knownEmail && !email.value) email.value = knownEmail;
      email.focus();
    },
  };
}
