// Accessibility fixes to what Material for MkDocs renders (axe-core checks every page in
// tests/test_browser_accessibility.py):
// - the search dialog gets a name (the search box's own label: "搜索" / "Search");
// - the version selector's name starts with the text it shows ("2.15 latest"), as speech
//   input users say what they see; it is built from versions.json after the page loads;
// - a notebook code cell that scrolls sideways can be reached and scrolled with the keyboard,
//   as Material does for its own code blocks.
(function () {
  "use strict";

  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role='dialog']");
    var input = document.querySelector(".md-search__input");
    if (dialog && input && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder || "Search");
    }
  }

  function nameVersionSelector() {
    var button = document.querySelector(".md-version__current");
    if (!button || button.hasAttribute("data-sitekit-named")) {
      return;
    }
    // "2.15" and "latest" are separate words (Material leaves no space between them).
    button.querySelectorAll(".md-version__alias").forEach(function (alias) {
      var before = alias.previousSibling;
      if (before && before.nodeType === 3 && !/\s$/.test(before.textContent)) {
        before.textContent += " ";
      }
    });
    var shown = button.textContent.replace(/\s+/g, " ").trim();
    var label = button.getAttribute("aria-label");
    button.setAttribute("aria-label", label ? shown + " – " + label : shown);
    button.setAttribute("data-sitekit-named", "");
  }

  function focusableScrollers() {
    document.querySelectorAll(".jupyter-wrapper .highlight-ipynb, .jupyter-wrapper .jp-OutputArea-output pre")
      .forEach(function (el) {
        if (el.scrollWidth > el.clientWidth + 1) {
          el.setAttribute("tabindex", "0");
        } else if (el.getAttribute("tabindex") === "0") {
          el.removeAttribute("tabindex");
        }
      });
  }

  function run() {
    nameSearchDialog();
    nameVersionSelector();
    focusableScrollers();
  }

  run();
  document.addEventListener("DOMContentLoaded", run);
  window.addEventListener("load", run);
  window.addEventListener("resize", focusableScrollers);
  // The version selector arrives after versions.json is fetched.
  var header = document.querySelector(".md-header");
  if (header && window.MutationObserver) {
    new MutationObserver(nameVersionSelector).observe(header, { childList: true, subtree: true });
  }
})();
