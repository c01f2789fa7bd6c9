// Every text of the console comes from one catalogue, messages.json: for each language, the
// same keys. The language is the one last chosen in this browser, else the browser's own when
// it is one of the catalogue's, else English.

const STORE = "usynys.lang";
let catalogue = {};
let lang = "en";

export async function load() {
  const res = await fetch("/console/messages.json", { cache: "no-cache" });
  catalogue = await res.json();
  const chosen = localStorage.getItem(STORE);
  const browser = (navigator.language || "en").slice(0, 2);
  lang = catalogue[chosen] ? chosen : catalogue[browser] ? browser : "en";
}

export function language() {
  return lang;
}

export function languages() {
  return Object.keys(catalogue);
}

export function choose(value) {
  if (!catalogue[value]) return;
  lang = value;
  localStorage.setItem(STORE, value);
}

// The text of `key` in the current language, with each {name} replaced by vars[name].
export function t(key, vars = {}) {
  const text = catalogue[lang]?.[key] ?? catalogue.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

// Fills every element under `root` that names a key: data-i18n (its text),
// data-i18n-aria-label and data-i18n-placeholder (those attributes).
export function apply(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  }
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  }
}

// A count, a share or a date in the current language's conventions.
export function number(n) {
  return new Intl.NumberFormat(lang).format(n);
}

export function percent(share) {
  return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }).format(share);
}

// Dates are numeric, in UTC as the statistics count them: browsers lack the Kazakh month names
// in some builds.
export function date(iso) {
  if (!iso) return "";
  const format = new Intl.DateTimeFormat(lang, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: "UTC",
  });
  return `${format.format(new Date(iso))} UTC`;
}
