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
