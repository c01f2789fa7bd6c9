// The console's only way to the server: this origin's API with the signed-in token. The token
// lives in the tab's sessionStorage: it is sent in the Authorization header (never in a URL,
// so never in a log or a Referer), it is not sent by the browser on its own (no cookie, so no
// cross-site request can use it), and it is gone when the tab closes.

const KEY = "usynys.token";

export function token() {
  return sessionStorage.getItem(KEY);
}

export function remember(value) {
  sessionStorage.setItem(KEY, value);
}

export function forget() {
  sessionStorage.removeItem(KEY);
}

// A failed call: the status and the problem+json body the API answered.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  // "field: message" for each field the API named (422), else the detail.
  describe() {
    const errors = this.problem.errors || [];
    if (errors.length === 0) return this.message;
    return errors.map((e) => `${e.field}: ${e.message}`).join("; ");
  }
}

// Calls `path` (under /api/v1) and answers its JSON body. `body`, when given, is sent as JSON.
export async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  const type = res.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const get = (path) => call("GET", path);
export const put = (path, body) => call("PUT", path, body);
export const post = (path, body) => call("POST", path, body);

// A query string of the values that are set.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}
