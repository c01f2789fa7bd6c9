// Building the page from data: text always goes in as text (textContent), never as markup, so
// nothing a letter says can become part of the page.

// <tag> with the given attributes (`class`, `text`, on* handlers, others as attributes) and
// children (elements or strings).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, "");
    else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) node.append(c);
  }
  return node;
}

export const $ = (id) => document.getElementById(id);

// Paragraphs of a letter's text, line breaks kept.
export function paragraphs(text) {
  return (text || "").split(/\n+/).map((line) => el("p", { text: line }));
}
