/* Live count of the sections and bullets on a brief's change page. */
"use strict";
(function () {
  const SECTION = /^sections-\d+-heading$/;
  const BULLET = /^sections-\d+-bullets-\d+-text$/;

  function deleted(input) {
    const prefix = input.name.replace(/-(heading|text)$/, "");
    const box = document.querySelector(`input[name="${prefix}-DELETE"]`);
    if (box && box.checked) {
      return true;
    }
    // A bullet of a section marked for deletion goes with it.
    const section = prefix.match(/^sections-\d+/);
    if (section && section[0] !== prefix) {
      const sectionBox = document.querySelector(
        `input[name="${section[0]}-DELETE"]`
      );
      return Boolean(sectionBox && sectionBox.checked);
    }
    return false;
  }

  function count(form, pattern) {
    return Array.from(form.querySelectorAll("input, textarea")).filter(
      (input) =>
        pattern.test(input.name) &&
        !input.name.includes("__prefix__") &&
        !deleted(input)
    ).length;
  }

  function show(counter, what, value) {
    const place = counter.querySelector(`[data-count="${what}"]`);
    // Writing only changes keeps the MutationObserver from feeding itself.
    if (place.textContent !== String(value)) {
      place.textContent = value;
    }
  }

  function update(form, counter) {
    show(counter, "sections", count(form, SECTION));
    show(counter, "bullets", count(form, BULLET));
  }

  document.addEventListener("DOMContentLoaded", function () {
    const counter = document.querySelector("[data-brief-counter]");
    const form = counter && counter.closest("form");
    if (!form) {
      return;
    }
    const refresh = () => update(form, counter);
    refresh();
    form.addEventListener("change", refresh);
    form.addEventListener("click", () => window.setTimeout(refresh, 0));
    new MutationObserver(refresh).observe(form, {
      childList: true,
      subtree: true,
    });
  });
})();
