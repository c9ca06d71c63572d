// Keeps a student's typed answers in this browser tab (sessionStorage), never on the server:
// leaving the page and coming back, or reloading it, brings them back. Closing the tab forgets them,
// so a shared lab computer does not show them to the next student.
(function () {
  "use strict";
  var form = document.getElementById("answers");
  if (!form || !window.sessionStorage) { return; }
  var storageKey = "grader-selfcheck:" + form.getAttribute("data-assignment") + ":" + form.getAttribute("data-student");
  var fields = form.querySelectorAll("input[data-answer]");
  var code = document.getElementById("code");  // the personal code: kept in the tab, never put in a page

  function save() {
    var answers = {};
    fields.forEach(function (field) { answers[field.getAttribute("data-answer")] = field.value; });
    if (code) { answers["\u0000code"] = code.value; }
    try { sessionStorage.setItem(storageKey, JSON.stringify(answers)); } catch (ignored) { /* storage full or off */ }
  }

  function restore(answersToo) {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(storageKey) || "{}"); } catch (ignored) { return; }
    if (answersToo) {
      fields.forEach(function (field) {
        var value = saved[field.getAttribute("data-answer")];
        if (field.value === "" && typeof value === "string") { field.value = value; }
      });
    }
    if (code && code.value === "" && typeof saved["\u0000code"] === "string") { code.value = saved["\u0000code"]; }
  }

  // A checked page shows what was checked (typed or from a file): only the code comes from the tab.
  var checked = form.hasAttribute("data-checked");
  restore(!checked);
  if (checked) { save(); }
  form.addEventListener("input", save);
  form.addEventListener("submit", save);
}());
