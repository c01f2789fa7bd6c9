// Who is signed in, what the role may do, and the status line every section reports to.
import { $ } from "./dom.js";
import { t } from "./i18n.js";

const RANK = { analyst: 1, coder: 2, moderator: 3, admin: 4 };
let who = null;

export function set(value) {
  who = value;
}

export function get() {
  return who;
}

// True when the signed-in role is `role` or above. The server checks every call all the same.
export function can(role) {
  return Boolean(who) && RANK[who.role] >= RANK[role];
}

export function status(text, error = false) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", error);
}

// Reports a failed call in the status line, in the words the API gave.
export function fail(e) {
  if (e.status === 403) status(t("not_allowed"), true);
  else status(`${t("failed")}: ${e.describe ? e.describe() : e.message}`, true);
}
