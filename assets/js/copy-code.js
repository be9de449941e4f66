/*
 * Copy buttons on code blocks.
 *
 * Adds a "Copy" button to every highlighted block (div.highlight). Progressive:
 * without JavaScript, or where the Clipboard API is unavailable (it needs a
 * secure context: https or localhost), the page is unchanged.
 */
(() => {
  "use strict";

  if (!navigator.clipboard) {
    return;
  }

  const RESET_AFTER_MS = 2000;

  function addButton(block) {
    const code = block.querySelector("pre");
    if (!code) {
      return;
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code to clipboard");
    button.setAttribute("aria-live", "polite");

    let timer = 0;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(code.textContent);
        button.textContent = "Copied";
        button.dataset.state = "done";
      } catch {
        button.textContent = "Press Ctrl+C";
        button.dataset.state = "failed";
      }
      clearTimeout(timer);
      timer = setTimeout(() => {
        button.textContent = "Copy";
        delete button.dataset.state;
      }, RESET_AFTER_MS);
    });
    block.append(button);
    block.classList.add("has-copy");
  }

  document.querySelectorAll(".highlight").forEach(addButton);
})();
