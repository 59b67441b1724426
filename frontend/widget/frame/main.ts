// The chat frame (/widget/frame): puts the views together and wires them to the connection,
// the outbox and the embedding page.
import "./frame.css";
import { frameStrings } from "../strings";
import { connect, RequestFailed } from "./connection";
import { Conversation, type Entry } from "./conversation";
import { readEmbed } from "./embed";
import { connectHost } from "./host";
import { Outbox } from "./outbox";
import type { Problem, Session } from "./protocol";
import { createArticles } from "./ui/articles";
import { createComposer } from "./ui/composer";
import { h } from "./ui/dom";
import { createEmailForm } from "./ui/email-form";
import { createMessageList } from "./ui/message-list";
import { createOfflineForm } from "./ui/offline-form";
import { problemText } from "./ui/problem-text";
import { createTranscriptForm } from "./ui/transcript-form";
import { createTypingIndicator } from "./ui/typing-indicator";

const NOTICE_MS = 6000;

const embed = readEmbed();
const t = frameStrings[embed.locale];
document.documentElement.lang = embed.locale;
document.title = t.title;

let session: Session | null = null;
let agentsOnline: boolean | null = null;
let openSheet: "transcript" | "email" | null = null;
let sheetOpener: HTMLElement | null = null;
/** An address the visitor typed in this visit (identify, verify.start): prefills the other forms. */
let givenEmail: string | undefined;

// The handlers below name views made further down: they run only on socket events, which come
// after this module has run.
const conversation = new Conversation();
const host = connectHost(() => focusMain());
const connection = connect({ identity: embed.identity, locale: embed.locale }, () => conversation.lastId(), {
  session: onSession,
  missed: arrived,
  message: (message) => arrived([message]),
  typing: (typing, name) => typingIndicator.set(typing, name),
  agents: setAgents,
  problem: onProblem,
  connected: (connected) => (banner.hidden = connected),
});
const outbox = new Outbox(
  conversation,
  connection,
  () => composer.showProblem(null),
  (problem) => composer.showProblem(problemText(t, problem)),
);

// The views.
// A live region: "We're away" is announced when the composer gives way to the offline form.
const status = h("p", { id: "sd-status", class: "status", role: "status" });
const close = h("button", { id: "sd-close", type: "button", class: "icon", "aria-label": t.close, title: t.close }, "×");
close.hidden = !host.embedded;
close.addEventListener("click", () => host.requestClose());
const banner = h("p", { id: "sd-connection", class: "banner", role: "status", hidden: true }, t.reconnecting);
const messageList = createMessageList(
  t,
  embed.locale,
  (clientId) => outbox.retry(clientId),
  // same origin as the desk; the token goes in a header, never in a URL
  (url) => fetch(url, { headers: { Authorization: `Bearer ${connection.token() || ""}` } }),
);
const typingIndicator = createTypingIndicator(t);
const notice = h("p", { id: "sd-notice", class: "notice", role: "status", hidden: true });
const transcriptButton = h("button", { id: "sd-transcript-button", type: "button", class: "link" }, t.transcript);
const verifyButton = h("button", { id: "sd-verify-button", type: "button", class: "link" }, t.verify);
const verified = h("span", { id: "sd-verified", class: "verified", hidden: true });
const tools = h("div", { id: "sd-tools", class: "tools" }, transcriptButton, verifyButton, verified);
const composer = createComposer(t, (body) => outbox.send(body), (typing) => connection.typing(typing));
// Before the first message: articles for what the visitor is writing.
const articles = createArticles(t, embed.locale, () => connection.token(), render, chatAbout);
composer.textarea.addEventListener("input", () =>
  articles.typed(composer.textarea.value, !conversation.entries.length),
);
const offlineForm = createOfflineForm(t, (message) => connection.request("offline_message", message));
const transcriptForm = createTranscriptForm(
  t,
  (email) => confirmed(connection.request("transcript", email ? { email } : {}), (ack) => ack.sent),
  closeSheet,
);
const emailForm = createEmailForm(
  t,
  {
    identify: (email, name) => {
      givenEmail = email;
      offlineForm.prefill({ email, name });
      return confirmed(connection.request("identify", name ? { email, name } : { email }), (ack) => ack.ok);
    },
    start: (email) => {
      givenEmail = email;
      return confirmed(connection.request("verify.start", { email }), (ack) => ack.sent);
    },
    check: (code) => confirmed(connection.request("verify.check", { code }), (ack) => ack.verified),
  },
  closeSheet,
);

const app = document.getElementById("sd-app")!;
app.replaceChildren(
  h(
    "header",
    { class: "header" },
    h("div", {}, h("h1", { id: "sd-title" }, t.title), status),
    close,
  ),
  banner,
  articles.reader,
  ...messageList.elements,
  typingIndicator.element,
  h(
    "div",
    { class: "footer" },
    notice,
    tools,
    articles.list,
    composer.element,
    offlineForm.element,
    transcriptForm.element,
    emailForm.element,
  ),
);

transcriptButton.addEventListener("click", () => {
  showSheet("transcript", transcriptButton);
  transcriptForm.open(session?.email || givenEmail || embed.identity?.email);
});
verifyButton.addEventListener("click", () => {
  showSheet("email", verifyButton);
  emailForm.open({ email: session?.email || givenEmail || embed.identity?.email, name: embed.identity?.name });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  event.preventDefault();
  if (openSheet) closeSheet(null);
  else if (articles.reading()) articles.back();
  else host.requestClose();
});

conversation.onChange = (added) => {
  if (conversation.entries.length) articles.typed("", false); // the chat has begun
  messageList.render(conversation.entries, added);
  render();
};
offlineForm.prefill({ name: embed.identity?.name, email: embed.identity?.email });
render();
if (!host.embedded) focusMain();

function onSession(next: Session): void {
  const previous = session;
  session = next;
  // A different open conversation (a new ticket, or the verified customer's own): start over.
  const switched =
    previous && previous.ticket_id != null && String(previous.ticket_id) !== String(next.ticket_id);
  const added = switched ? conversation.reset(next.messages || []) : conversation.merge(next.messages || []);
  if (previous) host.agentMessages(countAgents(added));
  offlineForm.prefill({ email: next.email });
  setAgents(next.agents_online);
  if (next.max_message_length) composer.setMaxLength(next.max_message_length);
  outbox.flush();
}

function arrived(messages: Session["messages"]): void {
  const added = conversation.merge(messages);
  const fromAgents = countAgents(added);
  if (fromAgents) typingIndicator.set(false);
  host.agentMessages(fromAgents);
}

function onProblem(problem: Problem): void {
  if (problem.client_id) outbox.refuse(problem.client_id, problem);
  // Other events' refusals also come in their acks, where their forms show them.
  if (!problem.event || problem.event === "message") composer.showProblem(problemText(t, problem));
}

function setAgents(online: boolean): void {
  const swapped = (agentsOnline === false) !== !online;
  // The offline form replacing the composer (or back) must not strand the keyboard focus.
  const focused = document.activeElement;
  const stranded =
    !focused ||
    focused === document.body ||
    composer.element.contains(focused) ||
    offlineForm.element.contains(focused);
  agentsOnline = online;
  render();
  if (swapped && stranded && !openSheet && host.isOpen()) focusMain();
}

/** Shows exactly one of: the composer, the offline form, a sheet; and the header's state. */
function render(): void {
  const offline = agentsOnline === false;
  status.textContent = agentsOnline === null ? "" : offline ? t.offline : t.online;
  status.className = offline ? "status status--offline" : "status";
  messageList.setAway(offline);
  // Away with nothing to read yet: the offline form may have the whole frame.
  app.classList.toggle("is-quiet", offline && !openSheet && !conversation.entries.length);
  app.classList.toggle("is-reading", articles.reading());
  composer.element.hidden = !!openSheet || offline;
  offlineForm.element.hidden = !!openSheet || !offline;
  transcriptForm.element.hidden = openSheet !== "transcript";
  emailForm.element.hidden = openSheet !== "email";
  tools.hidden = !!openSheet;
  articles.list.classList.toggle("is-off", !!openSheet || offline);
  transcriptButton.hidden = !conversation.entries.some((entry) => entry.state === "sent");
  verifyButton.hidden = !!session?.verified;
  verified.hidden = !session?.verified || !session.email;
  verified.textContent = session?.email ? t.verified(session.email) : "";
}

function showSheet(name: "transcript" | "email", opener: HTMLElement): void {
  openSheet = name;
  sheetOpener = opener;
  notice.hidden = true;
  render();
}

function closeSheet(message: string | null): void {
  openSheet = null;
  render();
  if (message) {
    notice.textContent = message;
    notice.hidden = false;
    setTimeout(() => {
      if (notice.textContent === message) notice.hidden = true;
    }, NOTICE_MS);
  }
  if (sheetOpener && !sheetOpener.hidden) sheetOpener.focus();
  else focusMain();
}

function focusMain(): void {
  if (openSheet || articles.reading()) return;
  if (agentsOnline === false) offlineForm.focus();
  else composer.textarea.focus();
  messageList.scrollToEnd();
}

/** From an article to the chat; after a No, the first message starts with the article's title
 * ("About “Refund policy”: "), before what the visitor had written. */
function chatAbout(title?: string): void {
  if (title) {
    const lead = t.aboutArticle(title);
    const written = composer.textarea.value.trim();
    if (!written.startsWith(lead.trim())) composer.prefill(lead + written);
    offlineForm.prefill({ body: composer.textarea.value });
  }
  focusMain();
}

function countAgents(entries: Entry[]): number {
  return entries.filter((entry) => entry.author.kind === "agent").length;
}

/** An ack whose flag is false (`{sent: false}`) is a refusal without a reason. */
function confirmed<T>(request: Promise<T>, ok: (ack: T) => unknown): Promise<T> {
  return request.then((ack) => {
    if (!ok(ack)) throw new RequestFailed({});
    return ack;
  });
}
