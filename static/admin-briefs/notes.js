/* Editorial notes without a page load: adding, resolving and reopening a note
   go through fetch, so the brief's form keeps what was typed; the notes are
   read again every 15 seconds, and each open note about a bullet is shown in
   that bullet's row. */
"use strict";
(function () {
  const POLL_MS = 15000;

  function bulletRows() {
    const rows = new Map();
    document
      .querySelectorAll('.bullet-row input[type="hidden"][name$="-id"]')
      .forEach((input) => {
        if (input.value) {
          rows.set(input.value, input.closest(".bullet-row"));
        }
      });
    return rows;
  }

  function beside(notes) {
    document.querySelectorAll("[data-bullet-notes]").forEach((box) => box.remove());
    const rows = bulletRows();
    const byBullet = new Map();
    notes
      .filter((note) => note.bullet && !note.resolved)
      .forEach((note) => {
        const key = String(note.bullet);
        byBullet.set(key, [...(byBullet.get(key) || []), note]);
      });
    byBullet.forEach((list, bullet) => {
      const row = rows.get(bullet);
      if (!row) {
        return;
      }
      const box = document.createElement("ul");
      box.className = "bullet-notes";
      box.dataset.bulletNotes = "";
      box.setAttribute("aria-label", "Notes about this bullet");
      list.forEach((note) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `#note-${note.id}`;
        const who = document.createElement("strong");
        who.textContent = `${note.author}: `;
        link.append(who, note.text);
        item.append(link);
        box.append(item);
      });
      row.append(box);
    });
  }

  function start(box) {
    const url = box.dataset.notesUrl;
    const list = box.querySelector("[data-notes-list]");
    const heading = box.querySelector("[data-notes-heading]");
    const error = box.querySelector("[data-notes-error]");
    const token = box.querySelector("input[name=csrfmiddlewaretoken]").value;
    let shown = null;

    function show(answer) {
      if (answer.html !== shown) {
        // Rendered and escaped by the server (includes/notes_list.html).
        list.innerHTML = answer.html;
        shown = answer.html;
      }
      heading.textContent = `Editorial notes (${answer.open} open)`;
      error.textContent = (answer.errors || []).join(" ");
      beside(answer.notes);
    }

    function refresh() {
      return fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? response.json() : null))
        .then((answer) => answer && show(answer))
        .catch(() => {});
    }

    box.addEventListener("submit", (event) => {
      const form = event.target.closest("[data-note-form]");
      if (!form) {
        return;
      }
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token },
        body: new FormData(form, event.submitter),
      })
        .then((response) =>
          response.json().then((answer) => {
            show(answer);
            if (response.ok && form.id === "note_form") {
              form.reset();
            }
          })
        )
        .catch(() => {
          error.textContent = "The note could not be sent: check the connection and try again.";
        });
    });

    refresh();
    window.setInterval(() => {
      if (document.visibilityState === "visible") {
        refresh();
      }
    }, POLL_MS);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") {
        refresh();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-brief-notes]").forEach(start);
  });
})();
