// The copy button of a REPL block (">>> " prompts) copies runnable code only:
// no prompts, no outputs — as sphinx-copybutton does. Script blocks copy as they are.
// Material's copy button goes through clipboard.js, which copies from a temporary
// <textarea>; we rewrite that copy event and leave every other copy alone.
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

  document.addEventListener(
    "copy",
    function (event) {
      var target = event.target;
      if (!target || target.tagName !== "TEXTAREA" || !event.clipboardData) {
        return;
      }
      var code = replToCode(target.value);
      if (code === null) {
        return;
      }
      event.clipboardData.setData("text/plain", code);
      event.preventDefault();
    },
    true
  );

  window.sitekitReplToCode = replToCode; // for the browser tests
})();
