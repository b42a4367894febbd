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
})();
