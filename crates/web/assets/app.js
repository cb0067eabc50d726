// Postbode: the little the pages need from a script. Everything works without it.
"use strict";
document.documentElement.classList.add("js");

// Copy buttons: <button data-copy="ID"> copies the value of the field with that id. When the
// clipboard is not available (an insecure origin, an old browser), the text is selected so
// the person can copy it with the keyboard, and the status says so.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-copy"));
  var status = document.getElementById(button.getAttribute("aria-controls") || "copy-status");
  if (!field) return;
  function say(text) { if (status) status.textContent = text; }
  function selectIt() {
    field.focus();
    field.select();
    say(button.getAttribute("data-fallback") || "");
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(function () {
      say(button.getAttribute("data-done") || "");
    }, selectIt);
  } else {
    selectIt();
  }
});
