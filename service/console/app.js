// The console's shell: sign-in, the language, the sections the role may use, and the status
// line. Each section is a module with show(params) (and, when it listens to keys, hide()).
import * as api from "./api.js";
import { $ } from "./dom.js";
import * as i18n from "./i18n.js";
import * as campaigns from "./campaigns.js";
import * as dispositions from "./dispositions.js";
import * as moderation from "./moderation.js";
import * as overview from "./overview.js";
import * as session from "./session.js";
import * as tagging from "./tagging.js";

const views = { overview, tagging, moderation, campaigns, dispositions };
let current = null;

async function start() {
  await i18n.load();
  const lang = $("lang");
  lang.value = i18n.language();
  lang.addEventListener("change", () => {
    i18n.choose(lang.value);
    i18n.apply();
    showWho();
    route();
  });
  i18n.apply();
  $("sign-in-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  window.addEventListener("hashchange", route);
  if (api.token() && (await check())) route();
  else showSignIn();
}

// Asks the server who holds the token; false (and signed out) when it refuses it.
async function check() {
  try {
    session.set(await api.get("/session"));
    return true;
  } catch (e) {
    api.forget();
    session.set(null);
    session.status(e.status === 401 ? i18n.t("token_refused") : e.describe?.() || e.message, true);
    return false;
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = $("token");
  api.remember(input.value.trim());
  input.value = "";
  if (!(await check())) return;
  session.status("");
  if (!location.hash || location.hash === "#") location.hash = "#overview";
  else route();
}

function signOut() {
  api.forget();
  session.set(null);
  current?.hide?.();
  current = null;
  showSignIn();
}

function showSignIn() {
  for (const v of document.querySelectorAll(".view")) v.hidden = true;
  $("nav").hidden = true;
  $("who").hidden = true;
  $("sign-out").hidden = true;
  $("sign-in").hidden = false;
  $("token").focus();
}

function showWho() {
  const who = session.get();
  if (!who) return;
  $("who").textContent = i18n.t("signed_in_as", { name: who.name, role: i18n.t(`role_${who.role}`) });
}

// Shows the section the address names (#name?key=value...), if the role may use it.
function route() {
  if (!session.get()) return showSignIn();
  $("sign-in").hidden = true;
  $("nav").hidden = false;
  $("who").hidden = false;
  $("sign-out").hidden = false;
  showWho();
  for (const a of $("nav").querySelectorAll("a")) {
    a.hidden = Boolean(a.dataset.role) && !session.can(a.dataset.role);
  }
  const [name, q] = location.hash.slice(1).split("?");
  const link = $("nav").querySelector(`a[data-view="${CSS.escape(name)}"]`);
  const view = link && !link.hidden ? name : "overview";
  for (const a of $("nav").querySelectorAll("a")) {
    if (a.dataset.view === view) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${view}`;
  if (current !== views[view]) current?.hide?.();
  current = views[view];
  session.status("");
  current.show(new URLSearchParams(q || "")).catch((e) => session.fail(e));
}

start();
