// The book's additions to the pages, added by _ext/book_html.py.
// JupyterQuiz (the self-check questions) writes a numeric answer field after a
// <label class="InpLabel"> that is not tied to it, so screen readers announce an unlabelled
// field (axe-core rule "label", WCAG 1.3.1 / 4.1.2). Tie each such label to its field, also
// for quizzes drawn after the page has loaded. A multiple-choice answer that is only a formula
// leaves its radio button without a name that axe-core (and some screen readers) can compute,
// since MathJax hides its rendering from assistive technology; such a button is named after the
// formula's text (MathJax's assistive MathML).
(function () {
  "use strict";
  function spokenText(label) {
    var copy = label.cloneNode(true);
    copy.querySelectorAll("mjx-container").forEach(function (math) {
      var mml = math.querySelector("mjx-assistive-mml");
      math.replaceWith(mml ? " " + mml.textContent + " " : "");
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  function nameFormulaAnswers(root) {
    root.querySelectorAll("label.MCButton > input[type=radio]").forEach(function (radio) {
      var label = radio.parentElement;
      var plain = label.cloneNode(true);
      plain.querySelectorAll("mjx-container, input").forEach(function (e) { e.remove(); });
      if (!plain.textContent.trim() && label.querySelector("mjx-assistive-mml")) {
        radio.setAttribute("aria-label", spokenText(label));
      }
    });
  }
  function labelQuizFields(root) {
    nameFormulaAnswers(root);
    root.querySelectorAll("input.Input-text").forEach(function (input) {
      if (!input.id || (input.labels && input.labels.length)) {
        return;
      }
      var label = input.previousElementSibling;
      if (label && label.tagName === "LABEL" && !label.htmlFor) {
        label.htmlFor = input.id;
      }
    });
  }
  function start() {
    labelQuizFields(document);
    new MutationObserver(function () { labelQuizFields(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
