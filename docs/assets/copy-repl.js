// The copy button of a REPL block (">>> " prompts) copies runnable code only:
// no prompts, no outputs — as sphinx-copybutton does. Script blocks copy as they are.
(function () {
  "use strict";

  function replToCode(text) {
    var lines = text.replace(/\r\n/g, "\n").split("\n");
    if (!lines.some(function (line) { return /^>>>( |$)/.test(line); })) {
      return null;
    }
    var out = [];
    var inSource = false;
    lines.forEach(function (line) {
      if (/^>>>( |$)/.test(line)) {
        out.push(line.slice(4));
        inSource = true;
      } else if (inSource && /^\.\.\.( |$)/.test(line)) {
        out.push(line.slice(4));
      } else {
        inSource = false; // an output line
      }
    });
    return out.join("\n").replace(/\n+$/, "") + "\n";
  }

  // The copy button selects the whole <code> element (clipboard.js, data-clipboard-target)
  // or, in older Material releases, a temporary <textarea>. A hand-made selection of part
  // of a block is left as the reader made it.
  function copiedByButton(event) {
    var target = event.target;
    if (target && target.tagName === "TEXTAREA") {
      return target.value;
    }
    var node = target && (target.nodeType === 1 ? target : target.parentElement);
    var code = node && node.closest ? node.closest("pre > code") : null;
    if (!code) {
      return null;
    }
    var selected = String(window.getSelection());
    return selected.trim() === code.textContent.trim() ? selected : null;
  }

  document.addEventListener(
    "copy",
    function (event) {
      var text = copiedByButton(event);
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
