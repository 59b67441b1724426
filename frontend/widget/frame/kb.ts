// The knowledge base as the widget reads it (same origin as the desk, plain fetch): articles
// suggested for what the visitor is typing, one article, and "Was this helpful?". Each call names
// the visitor (their token, in a header: never in a URL, where access logs keep it) so that what they
// read joins their history once they are a customer.

export interface Suggestion {
  id: number;
  title: string;
  /** The suggestion as recorded by the desk (shown, then opened): sent back when opened. */
  suggestion_id?: number | null;
}

export interface KbArticle {
  id: number;
  title: string;
  body_html: string;
}

const API = "/api/v1/kb/";

/** `path?query`, without the empty values. */
function url(path: string, query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value != null && value !== "") params.set(key, String(value));
  return API + path + "?" + params;
}

async function json<T>(response: Promise<Response>): Promise<T> {
  const answer = await response;
  if (!answer.ok) throw new Error(String(answer.status));
  return answer.json();
}

function visitor(token: string | undefined): Record<string, string> {
  return token ? { "X-Visitor-Token": token } : {};
}

export function suggest(q: string, locale: string, token: string | undefined): Promise<Suggestion[]> {
  const query = { q, locale, surface: "widget" };
  return json<{ items: Suggestion[] }>(fetch(url("suggest", query), { headers: visitor(token) })).then(
    (page) => page.items || [],
  );
}

export function article(suggestion: Suggestion, token: string | undefined): Promise<KbArticle> {
  const query = { suggestion: suggestion.suggestion_id };
  return json<KbArticle>(fetch(url("articles/" + suggestion.id, query), { headers: visitor(token) }));
}

/** "Was this helpful?": a second answer replaces the first; `comment` (with a No only) says
 * what the visitor was looking for, and a No without one clears it. */
export function vote(id: number, helpful: boolean, token: string | undefined, comment?: string): Promise<unknown> {
  return json(
    fetch(API + "articles/" + id + "/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...visitor(token) },
      body: JSON.stringify(comment ? { helpful, comment } : { helpful }),
    }),
  );
}

const DROP = "script,style,iframe,frame,object,embed,form,input,button,textarea,select,link,meta,base,svg,math";

/** The desk sanitizes what it renders; this keeps the frame safe even so: no scripts, no
 * handlers, no `javascript:` links, and links open outside the frame. */
export function sanitized(html: string): DocumentFragment {
  const template = document.createElement("template");
  template.innerHTML = html;
  const content = template.content;
  content.querySelectorAll(DROP).forEach((element) => element.remove());
  content.querySelectorAll("*").forEach((element) => {
    for (const { name, value } of Array.from(element.attributes)) {
      const unsafeUrl = /^(href|src|xlink:href|action|formaction)$/i.test(name) && !/^(https?:|mailto:|\/|#)/i.test(value.trim());
      if (/^on/i.test(name) || name === "style" || unsafeUrl) element.removeAttribute(name);
    }
    if (element.tagName === "A") {
      element.setAttribute("target", "_blank");
      element.setAttribute("rel", "noopener noreferrer");
    }
  });
  return content;
}
