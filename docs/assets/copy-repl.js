// The copy button of a REPL block (">>> " prompts) copies code that runs when pasted into the
// standard `python` REPL: no prompts, no outputs (as sphinx-copybutton does), no empty line inside
// a statement, and an empty line after each statement that spans lines or opens a block, which the
// REPL needs before it runs an indented block. Script blocks copy as they are.
// sitekit/repl_copy.py is the same algorithm in Python; tests/test_repl_copy.py checks both.
(function () {
  "use strict";

  var PROMPT = /^>>>( |$)/;
  var CONTINUATION = /^\.\.\.( |$)/;
  var OPENS_BLOCK = /^(?:async\s+)?(?:if|elif|else|for|while|with|def|class|try|except|finally|match|case)\b/;

  function replToCode(text) {
    var lines = text.replace(/\r\n/g, "\n").split("\n");
    if (!lines.some(function (line) { return PROMPT.test(line); })) {
      return null;
    }
    var statements = [];
    var inSource = false;
    lines.forEach(function (line) {
      if (PROMPT.test(line)) {
        statements.push([line.slice(4)]);
        inSource = true;
      } else if (inSource && CONTINUATION.test(line)) {
        statements[statements.length - 1].push(line.slice(4));
      } else {
        inSource = false; // an output line
      }
    });
    var out = [];
    statements.forEach(function (statement) {
      var code = statement.filter(function (line) { return line.trim() !== ""; });
      if (code.length === 0) {
        return; // a bare ">>>"
      }
      out.push.apply(out, code);
      if (code.length > 1 || OPENS_BLOCK.test(code[0])) {
        out.push("");
      }
    });
    return out.join("\n") + "\n";
  }

  // Material copies with clipboard.js: a click on the copy button selects a temporary <textarea>
  // holding the block's text. The block of the last clicked copy button is the one copied.
  var clickedCode = null;
  document.addEventListener(
    "click",
    function (event) {
      var button = event.target && event.target.closest
        ? event.target.closest("[data-clipboard-target]")
        : null;
      var code = button ? document.querySelector(button.getAttribute("data-clipboard-target")) : null;
      clickedCode = code && code.closest("pre") ? code : null;
    },
    true
  );

  // The text the copy button copies, or null for a hand-made selection of part of a block,
  // which is left as the reader made it.
  function copiedByButton(event) {
    var target = event.target;
    if (target && target.tagName === "TEXTAREA") {
      return clickedCode ? clickedCode.textContent : target.value;
    }
    var node = target && (target.nodeType === 1 ? target : target.parentElement);
    var code = node && node.closest ? node.closest("pre > code") : null;
    if (!code) {
      return null;
    }
    var selected = String(window.getSelection());
    return selected.trim() === code.textContent.trim() ? code.textContent : null;
  }

  document.addEventListener(
    "copy",
    function (event) {
      var text = copiedByButton(event);
      clickedCode = null;
      var code = text === null ? null : replToCode(text);
      if (code === null || !event.clipboardData) {
        return;
      }
      event.clipboardData.setData("text/plain", code);
      event.preventDefault();
    },
    true
  );

  window.sitekitReplToCode = replToCode; // for the browser tests
})();
