/* The brief editor: arrow buttons to reorder sections and bullets from the
   keyboard, sections that show or hide their bullets, and bullet boxes that
   grow with their text. Dragging is nested_admin's; it and these buttons only
   move rows: nested_admin numbers the positions when the form is sent. */
"use strict";
(function () {
  const ROW = ".djn-item.djn-inline-form:not(.djn-empty-form)";

  function siblings(row) {
    return Array.from(row.parentElement.children).filter((el) =>
      el.matches(ROW)
    );
  }

  function kind(row) {
    return row.classList.contains("brief-section") ? "Section" : "Bullet";
  }

  function announce(editor, message) {
    const status = editor.querySelector("[data-brief-editor-status]");
    if (status) {
      // Cleared first so that the same words twice are read twice.
      status.textContent = "";
      window.setTimeout(() => {
        status.textContent = message;
      }, 50);
    }
  }

  function move(button) {
    const row = button.closest(ROW);
    const rows = siblings(row);
    const index = rows.indexOf(row);
    const target = button.dataset.move === "up" ? index - 1 : index + 1;
    const editor = button.closest(".brief-editor");
    if (target < 0 || target >= rows.length) {
      const end = target < 0 ? "first" : "last";
      announce(editor, `${kind(row)} ${index + 1} of ${rows.length} is already ${end}.`);
      return;
    }
    const other = rows[target];
    const before = target < index ? other : other.nextSibling;
    other.parentElement.insertBefore(row, before);
    button.focus();
    announce(editor, `${kind(row)} moved to place ${target + 1} of ${rows.length}.`);
  }

  function bulletsOf(section) {
    return section.querySelector(".djn-group");
  }

  function setShown(toggle, shown) {
    const section = toggle.closest(".brief-section");
    const bullets = bulletsOf(section);
    if (!bullets || !bullets.id) {
      return;
    }
    toggle.setAttribute("aria-controls", bullets.id);
    toggle.setAttribute("aria-expanded", String(shown));
    bullets.hidden = !shown;
    section.classList.toggle("collapsed", !shown);
  }

  // The section's bar holds the "Add a bullet" button; nested_admin's own one,
  // below the bullets, is hidden and does the work.
  function addBullet(section) {
    const bullets = bulletsOf(section);
    const toggle = section.querySelector("[data-section-toggle]");
    if (toggle) {
      setShown(toggle, true);
    }
    bullets.querySelector(".djn-add-handler").click();
    const rows = bullets.querySelectorAll(`.bullet-rows > ${ROW}`);
    const added = rows[rows.length - 1];
    if (added) {
      added.querySelector("textarea").focus();
    }
    countBullets(section.closest(".brief-editor"));
  }

  function countBullets(editor) {
    editor.querySelectorAll(".brief-section").forEach((section) => {
      const place = section.querySelector("[data-section-count]");
      const bullets = bulletsOf(section);
      if (!place || !bullets) {
        return;
      }
      const kept = Array.from(bullets.querySelectorAll(".bullet-row")).filter(
        (row) =>
          row.matches(ROW) &&
          !row.querySelector('input[name$="-DELETE"]:checked')
      ).length;
      const label = `${kept} bullet${kept === 1 ? "" : "s"}`;
      if (place.textContent !== label) {
        place.textContent = label;
      }
    });
  }

  // select2's search box has no label of its own: give it the one of the
  // select it stands for ("Sources", "Votes"...).
  function labelSearchBoxes(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(
      (box) => {
        const container = box.closest(".select2-container");
        const select = container && container.previousElementSibling;
        const label =
          select && select.id && document.querySelector(`label[for="${select.id}"]`);
        if (label) {
          const text = label.textContent.trim().replace(/:$/, "");
          box.setAttribute("aria-label", text);
        }
      }
    );
  }

  function grow(box) {
    box.style.height = "auto";
    box.style.height = `${box.scrollHeight + 2}px`;
  }

  document.addEventListener("DOMContentLoaded", function () {
    const editor = document.querySelector(".brief-editor");
    if (!editor) {
      return;
    }
    editor.querySelectorAll(`${ROW} [data-section-toggle]`).forEach((toggle) =>
      setShown(toggle, true)
    );
    countBullets(editor);
    const form = editor.closest("form");
    labelSearchBoxes(form);
    new MutationObserver(() => labelSearchBoxes(form)).observe(form, {
      childList: true,
      subtree: true,
    });

    editor.addEventListener("click", function (event) {
      const moveButton = event.target.closest("[data-move]");
      if (moveButton) {
        move(moveButton);
        return;
      }
      const add = event.target.closest("[data-add-bullet]");
      if (add) {
        addBullet(add.closest(".brief-section"));
        return;
      }
      const toggle = event.target.closest("[data-section-toggle]");
      if (toggle) {
        setShown(toggle, toggle.getAttribute("aria-expanded") !== "true");
        return;
      }
      const showAll = event.target.closest("[data-brief-editor-show]");
      if (showAll) {
        const shown = showAll.dataset.briefEditorShow === "all";
        editor
          .querySelectorAll(`${ROW} [data-section-toggle]`)
          .forEach((t) => setShown(t, shown));
        announce(
          editor,
          shown ? "Every section shows its bullets." : "Every section's bullets are hidden."
        );
        return;
      }
      // Adding or removing a row: count once nested_admin has done it.
      window.setTimeout(() => countBullets(editor), 0);
    });
    editor.addEventListener("change", () => countBullets(editor));

    // Browsers without `field-sizing: content` grow the boxes here instead.
    if (!(window.CSS && CSS.supports("field-sizing", "content"))) {
      editor.querySelectorAll(".bullet-text textarea").forEach(grow);
      editor.addEventListener("input", function (event) {
        if (event.target.matches(".bullet-text textarea")) {
          grow(event.target);
        }
      });
    }
  });
})();
