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
