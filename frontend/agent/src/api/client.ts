// The one way the workspace talks to the REST API: openapi-fetch over the generated types, with
// the session's CSRF token on writes, and problem+json turned into an ApiError that names the
// fields. A 401 anywhere means the session ended: the session store sends the agent to sign in
// (drafts are kept: see stores/drafts.ts).
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import type { Problem } from "./types";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** A refusal from the desk: its problem+json, with the status and field errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem & Record<string, unknown>,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`);
  }

  /** The first message for a field, if the desk named one. */
  field(name: string): string | undefined {
    const errors = (this.problem.errors ?? {}) as Record<string, string[] | undefined>;
    return errors[name]?.[0];
  }
}

const desk: Middleware = {
  onRequest({ request }) {
    if (csrfToken && UNSAFE.has(request.method)) request.headers.set("X-CSRF-Token", csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith("/api/v1/session")) onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(desk);

/** The answer's data, or throws the desk's problem as an ApiError (or a network failure). */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const problem =
    error && typeof error === "object"
      ? (error as Problem & Record<string, unknown>)
      : { title: response.statusText, status: response.status };
  throw new ApiError(response.status, problem);
}
