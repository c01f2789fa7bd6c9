// Hide or show, with a reason: the form shared by proposals and campaigns. Shown only to a
// moderator or above; the API refuses anyone else all the same.
import { post } from "./api.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { can, fail, status } from "./session.js";

// A button that opens a reason field and sends `{status, reason}` to `path`; `done` gets the
// API's answer. Null when the role may not moderate.
export function moderationControl(path, currentStatus, done) {
  if (!can("moderator")) return null;
  const target = currentStatus === "hidden" ? "visible" : "hidden";
  const reason = el("input", { type: "text", maxlength: "1000", required: true, autocomplete: "off" });
  const label = el("label", {}, el("span", { text: t("reason_internal") }), reason);
  const send = el("button", { type: "submit", class: "primary", text: t(target === "hidden" ? "hide" : "show") });
  const form = el("form", { class: "moderate", hidden: true }, label, send);
  const open = el("button", {
    type: "button",
    class: target === "hidden" ? "danger" : "",
    "data-action": target === "hidden" ? "hide" : "show",
    text: t(target === "hidden" ? "hide" : "show"),
    onclick: () => {
      form.hidden = false;
      open.hidden = true;
      reason.focus();
    },
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const result = await post(path, { status: target, reason: reason.value.trim() });
      status(t(target === "hidden" ? "hidden_done" : "shown_done"));
      done(result);
    } catch (e) {
      fail(e);
    }
  });
  return el("div", { class: "moderation" }, open, form);
}
