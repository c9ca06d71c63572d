// Keeps a student's typed answers in this browser tab (sessionStorage), never on the server:
// leaving the page and coming back, or reloading it, brings them back. Closing the tab forgets them,
// so a shared lab computer does not show them to the next student.
(function () {
  "use strict";
  var form = document.getElementById("answers");
  if (!form || !window.sessionStorage) { return; }
  var storageKey = "grader-selfcheck:" + form.getAttribute("data-assignment") + ":" + form.getAttribute("data-student");
  var fields = form.querySelectorAll("input[data-answer]");

  function save() {
    var answers = {};
    fields.forEach(function (field) { answers[field.getAttribute("data-answer")] = field.value; });
    try { sessionStorage.setItem(storageKey, JSON.stringify(answers)); } catch (ignored) { /* storage full or off */ }
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(storageKey) || "{}"); } catch (ignored) { return; }
    fields.forEach(function (field) {
      var value = saved[field.getAttribute("data-answer")];
      if (field.value === "" && typeof value === "string") { field.value = value; }
    });
  }

  if (form.hasAttribute("data-checked")) { save(); } else { restore(); }
  form.addEventListener("input", save);
  form.addEventListener("submit", save);
}());
