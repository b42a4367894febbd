// Sektorovergang: small helpers around htmx (no inline scripts: the content security policy allows only
// our own files).
(function () {
  "use strict";
  // After htmx swapped in a fresh admission body or form, move focus to its message (a notice or the error
  // of the form just sent), so keyboard and screen-reader users land where the answer is.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    var root = target && target.isConnected ? target : document;
    var focus = root.querySelector ? root.querySelector("[data-autofocus]") : null;
    if (!focus) {
      focus = document.querySelector("#admission [data-autofocus], #new-admission [data-autofocus]");
    }
    if (focus && event.detail.requestConfig && event.detail.requestConfig.verb === "post") {
      var details = focus.closest("details");
      if (details) { details.open = true; }
      focus.focus();
    }
  });
  // The language switcher submits itself when a language is chosen (its button stays for keyboards).
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "language") { event.target.form.submit(); }
  });

  // The idle timeout (issue 14). The page knows how long the session has left (data-remaining, in
  // seconds, from when it was rendered); a banner warns data-warning seconds before the end, and its button
  // posts to the server to stay logged in. A request that is not a poll counts as activity on the server,
  // which notes it at most once a minute: the countdown restarts from a minute less than the full time.
  var banner = document.getElementById("session-warning");
  if (banner) {
    var number = function (name) { return parseInt(banner.getAttribute(name), 10) || 0; };
    var idle = number("data-idle") * 1000;
    var warning = number("data-warning") * 1000;
    var end = Date.now() + number("data-remaining") * 1000;
    var soon = banner.querySelector(".session-soon");
    var gone = banner.querySelector(".session-gone");
    var clock = banner.querySelector(".session-end");
    // Copenhagen time, as every time the product shows (whatever the computer's own zone).
    var hhmm = function (at) {
      try {
        return at.toLocaleTimeString("en-GB", { timeZone: "Europe/Copenhagen", hour: "2-digit", minute: "2-digit", hour12: false });
      } catch (error) {
        return (at.getHours() < 10 ? "0" : "") + at.getHours() + ":" + (at.getMinutes() < 10 ? "0" : "") + at.getMinutes();
      }
    };
    var show = function () {
      var left = end - Date.now();
      if (left > warning) {
        banner.hidden = true;
        return;
      }
      var at = new Date(end);
      clock.textContent = hhmm(at);
      clock.setAttribute("datetime", at.toISOString());
      soon.hidden = left <= 0;
      gone.hidden = left > 0;
      banner.hidden = false;
    };
    var renewed = function (seconds) {
      end = Math.max(end, Date.now() + seconds * 1000);
      show();
    };
    window.setInterval(show, 1000);
    show();
    banner.querySelector(".session-keep").addEventListener("click", function () {
      fetch(banner.getAttribute("data-keep-alive"), {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": banner.getAttribute("data-csrf"), "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { end = Date.now(); show(); return null; }  // already logged out
        return response.json();
      }).then(function (body) {
        if (body) { end = Date.now(); renewed(body.remaining); }
      });
    });
    document.addEventListener("htmx:afterRequest", function (event) {
      var config = event.detail && event.detail.requestConfig;
      var poll = config && config.headers && config.headers["X-Poll"];
      if (!poll && event.detail.successful) { renewed((idle - 60000) / 1000); }
    });
  }

  // A poll that finds the session ended sends the page to the login (a shared ward computer must not keep
  // showing the board). If an action form holds typed text, that form is posted first, without htmx: the
  // server keeps its text for this person and the login page returns to the admission page with it
  // (coordination.drafts), instead of the text being dropped with the page.
  document.addEventListener("input", function (event) {
    var form = event.target && event.target.closest && event.target.closest("form.action-form");
    if (form) { form.setAttribute("data-typed", "1"); }
  });
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var redirect = xhr && xhr.getResponseHeader("HX-Redirect");
    var typed = document.querySelector("form.action-form[data-typed]");
    if (redirect && typed && event.detail.requestConfig && event.detail.requestConfig.verb === "get") {
      event.preventDefault();
      typed.removeAttribute("data-typed");
      HTMLFormElement.prototype.submit.call(typed);
    }
  });
})();
