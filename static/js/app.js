// Small progressive enhancements; the site works without them. No inline script anywhere (CSP).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Language switcher: submit as soon as a language is picked.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]")) {
      el.form.submit();
    }
  });

  // Buttons that ask before doing something that cannot be undone.
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // htmx swaps only 2xx answers by default. The autosave's 409 (the answer was changed in another
  // window) and 500/503 (with an incident number) carry a message for the learner: show them.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 500 || status === 503) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // htmx: send the CSRF token with every request it makes.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector("meta[name=csrf-token]");
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  // htmx: a refused message (422) or a text over the limit (413) still shows its explanation.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 413 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

// Chat replies: Enter sends the message (Shift+Enter is a new line; never while an IME is composing).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("textarea[data-enter-sends]")) { return; }
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) { return; }
    event.preventDefault();
    if (!area.value.trim()) { return; }
    var button = area.form && area.form.querySelector("[data-send-button]");
    if (button) { button.click(); }
  });
  // Once a message is sent, empty the box for the next one.
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail.elt;
    if (!el.matches || !el.matches("[data-send-button]") || !event.detail.successful) { return; }
    var area = el.form && el.form.querySelector("textarea[data-enter-sends]");
    if (area) {
      area.value = "";
      area.dispatchEvent(new Event("input", { bubbles: true }));
      area.focus();
    }
  });
})();

// Quiz countdown: shows the server's deadline; the server closes the attempt itself when time is up.
(function () {
  "use strict";
  var el = document.querySelector(".countdown[data-deadline]");
  if (!el) { return; }
  var deadline = Date.parse(el.getAttribute("data-deadline"));
  var skew = Date.parse(el.getAttribute("data-server-now")) - Date.now();
  var value = el.querySelector(".countdown-value");
  function tick() {
    var left = Math.max(0, Math.round((deadline - (Date.now() + skew)) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    value.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left <= 60) { el.classList.add("urgent"); }
    if (left === 0) {
      var form = document.getElementById("answer-form");
      if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();

// Lesson drafts: what is typed is kept in this browser until the lesson is saved.
(function () {
  "use strict";
  var area = document.querySelector("textarea[data-autosave]");
  if (!area || !window.localStorage) { return; }
  var key = "lms-draft:" + area.getAttribute("data-autosave");
  var version = area.getAttribute("data-autosave-version") || "";
  var notice = document.querySelector(".draft-notice");
  var stored = null;
  try { stored = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  if (stored && stored.text !== area.value && notice) {
    notice.hidden = false;
    notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
      area.value = stored.text;
      area.dispatchEvent(new Event("input", { bubbles: true }));
      notice.hidden = true;
    });
    notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
      window.localStorage.removeItem(key);
      notice.hidden = true;
    });
  }
  var timer = null;
  area.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      window.localStorage.setItem(key, JSON.stringify({ text: area.value, version: version, at: Date.now() }));
    }, 800);
  });
  if (area.form) {
    area.form.addEventListener("submit", function () { window.localStorage.removeItem(key); });
  }
})();

// Practice chats: the shopper's next line appears when the server says it does ("typing…" until then).
(function () {
  "use strict";
  function reveal(root) {
    var thread = root.querySelector ? root.querySelector("#practice-thread") || (root.id === "practice-thread" ? root : null) : null;
    if (!thread) { return; }
    var line = thread.querySelector("[data-shows-at]");
    if (!line) { return; }
    var serverNow = Date.parse(thread.getAttribute("data-server-now"));
    var wait = Date.parse(line.getAttribute("data-shows-at")) - serverNow;
    if (!(wait > 0)) { return; }
    var typing = thread.querySelector(".typing");
    line.hidden = true;
    if (typing) { typing.hidden = false; }
    window.setTimeout(function () {
      line.hidden = false;
      if (typing) { typing.hidden = true; }
    }, Math.min(wait, 5000));
  }
  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:afterSwap", function (event) { reveal(event.detail.target.parentNode || document); });
})();
