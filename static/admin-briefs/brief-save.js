/* Nothing typed in the brief's form is lost: leaving with unsaved changes asks
   first, a copy of the form is kept in this browser (localStorage, one per
   brief and version) and offered back after a crash or a closed tab, Ctrl+S
   (Cmd+S) saves, and a refused save's "use theirs" buttons fill the form.
   docs/editors/saving-and-conflicts.md says how it works for editors. */
"use strict";
(function () {
  const PREFIX = "newsroom-unsaved:";
  const SUBMITTED = "newsroom-submitted";
  const SKIPPED = new Set(["csrfmiddlewaretoken", "expected_version", "_schedule_at"]);

  function storage(kind) {
    // Private windows and full disks refuse storage: the page still works.
    try {
      return window[kind];
    } catch (error) {
      return null;
    }
  }

  function kept(element) {
    return (
      element.name &&
      !SKIPPED.has(element.name) &&
      !element.name.includes("__prefix__") &&
      !["file", "submit", "button", "reset"].includes(element.type)
    );
  }

  // What the form holds, as a list that JSON keeps in order.
  function state(form) {
    const entries = [];
    for (const element of form.elements) {
      if (!kept(element)) {
        continue;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        entries.push([element.name, element.value, element.checked]);
      } else if (element.tagName === "SELECT") {
        const chosen = Array.from(element.selectedOptions);
        entries.push([
          element.name,
          chosen.map((option) => option.value),
          chosen.map((option) => option.textContent),
        ]);
      } else {
        entries.push([element.name, element.value]);
      }
    }
    return entries;
  }

  function time(stamp) {
    const at = new Date(stamp);
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  }

  // Rows added since the page was saved are added again before their values.
  function addRows(form, entries) {
    const totals = entries.filter(([name]) => name.endsWith("-TOTAL_FORMS"));
    totals.sort((a, b) => a[0].length - b[0].length);
    for (const [name, value] of totals) {
      const field = form.elements[name];
      if (!field) {
        continue;
      }
      const prefix = name.replace(/-TOTAL_FORMS$/, "");
      const bullets = prefix.match(/^(sections-\d+)-bullets$/);
      let add = null;
      if (prefix === "sections") {
        add = form.querySelector("#sections-group > .djn-fieldset > .djn-add-item .djn-add-handler");
      } else if (bullets) {
        add = form.querySelector(`#${bullets[1]} [data-add-bullet]`);
      }
      let guard = 50;
      while (add && Number(field.value) < Number(value) && guard-- > 0) {
        add.click();
      }
    }
  }

  function apply(form, entries) {
    addRows(form, entries);
    const seen = new Map();
    for (const [name, value, extra] of entries) {
      const all = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
      const index = seen.get(name) || 0;
      seen.set(name, index + 1);
      const element = all.length > 1 ? all[index] : all[0];
      if (!element || element.type === "hidden" || !kept(element)) {
        continue;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = extra;
      } else if (element.tagName === "SELECT") {
        value.forEach((choice, n) => {
          if (!Array.from(element.options).some((o) => o.value === choice)) {
            // An autocomplete lists only what is chosen: add the option back.
            element.append(new Option(extra[n], choice));
          }
        });
        Array.from(element.options).forEach((option) => {
          option.selected = value.includes(option.value);
        });
      } else {
        element.value = value;
      }
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (window.django && window.django.jQuery) {
      window.django.jQuery(form).find("select.admin-autocomplete").trigger("change");
    }
  }

  function start(form, bar) {
    const key = PREFIX + bar.dataset.saveKey;
    const local = storage("localStorage");
    const session = storage("sessionStorage");
    const status = bar.querySelector("[data-brief-save-status]");
    const refused = document.querySelector(".errornote") !== null;
    const initial = JSON.stringify(state(form));
    // A form shown again after a refused save holds typing nobody saved.
    const baseline = refused ? null : initial;
    let dirty = refused;
    let leaving = false;

    function say(message) {
      if (status && status.textContent !== message) {
        status.textContent = message;
      }
    }

    function changed() {
      return dirty && (baseline === null || JSON.stringify(state(form)) !== baseline);
    }

    function keep() {
      if (!local) {
        return;
      }
      const entries = state(form);
      if (JSON.stringify(entries) === baseline) {
        local.removeItem(key);
        say("");
        return;
      }
      try {
        local.setItem(key, JSON.stringify({ at: Date.now(), entries }));
        say(`Unsaved changes. A copy is kept in this browser (${time(Date.now())}).`);
      } catch (error) {
        say("Unsaved changes.");
      }
    }

    function touched(event) {
      if (event && event.isTrusted === false && !event.briefRestore) {
        return;
      }
      dirty = true;
      keep();
    }

    form.addEventListener("input", touched);
    form.addEventListener("change", touched);
    if (window.django && window.django.jQuery) {
      // select2 tells of a choice through jQuery's events only.
      window.django.jQuery(form).on("select2:select select2:unselect", () => touched());
    }
    // Adding, removing or moving rows changes the form without typing.
    form.addEventListener("click", (event) => {
      if (event.target.closest(".djn-add-handler, .djn-remove-handler, [data-move], [data-add-bullet]")) {
        window.setTimeout(() => touched(), 0);
      }
    });

    form.addEventListener("submit", () => {
      leaving = true;
      if (session) {
        session.setItem(SUBMITTED, bar.dataset.saveKey);
      }
    });

    window.addEventListener("beforeunload", (event) => {
      if (leaving || !changed()) {
        return;
      }
      keep();
      event.preventDefault();
      event.returnValue = "";
    });

    document.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        const button =
          form.querySelector("[data-shortcut-save]") ||
          form.querySelector('input[name="_continue"]') ||
          form.querySelector('input[name="_save"]');
        form.requestSubmit(button);
      }
    });

    offer(form, local, key, initial, () => {
      dirty = true;
      keep();
    });

    // A conflict: "Use theirs" puts the stored text in the field, "Keep mine"
    // puts the typing back.
    document.querySelectorAll("[data-brief-conflict] [data-conflict-row]").forEach((row) => {
      const field = form.elements[row.dataset.conflictRow];
      if (!field) {
        return;
      }
      const mine = field.value;
      const choice = row.querySelector("[data-conflict-choice]");
      row.addEventListener("click", (event) => {
        const take = event.target.closest("[data-conflict-take]");
        const keepMine = event.target.closest("[data-conflict-keep]");
        if (!take && !keepMine) {
          return;
        }
        field.value = take ? take.dataset.value : mine;
        field.dispatchEvent(new Event("input", { bubbles: true }));
        if (choice) {
          choice.textContent = take ? "Theirs is in the form." : "Yours is in the form.";
        }
      });
    });
  }

  function offer(form, local, key, initial, restored) {
    if (!local || document.querySelector(".errornote")) {
      return;
    }
    let copy = null;
    try {
      copy = JSON.parse(local.getItem(key));
    } catch (error) {
      copy = null;
    }
    if (!copy || !Array.isArray(copy.entries) || JSON.stringify(copy.entries) === initial) {
      return;
    }
    const banner = document.createElement("div");
    banner.className = "brief-restore";
    banner.setAttribute("role", "region");
    banner.setAttribute("aria-label", "Unsaved changes");
    banner.dataset.briefRestore = "";
    const text = document.createElement("p");
    text.textContent = `Restore unsaved changes from ${time(copy.at)}?`;
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button default";
    restore.textContent = "Restore";
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = "Discard";
    banner.append(text, restore, discard);
    form.parentElement.insertBefore(banner, form);
    restore.addEventListener("click", () => {
      apply(form, copy.entries);
      banner.remove();
      restored();
      const first = form.querySelector("input:not([type=hidden]), textarea");
      if (first) {
        first.focus();
      }
    });
    discard.addEventListener("click", () => {
      local.removeItem(key);
      banner.remove();
    });
    restore.focus();
  }

  // After a save that went through, the copies of the brief are out of date.
  function forgetSaved() {
    const session = storage("sessionStorage");
    const local = storage("localStorage");
    const saved = session && session.getItem(SUBMITTED);
    if (!saved || !local) {
      return;
    }
    session.removeItem(SUBMITTED);
    if (document.querySelector(".errornote")) {
      return;
    }
    const brief = saved.replace(/-v\d+$/, "-");
    for (let i = local.length - 1; i >= 0; i--) {
      const name = local.key(i);
      if (name === PREFIX + saved || (name && name.startsWith(PREFIX + brief))) {
        local.removeItem(name);
      }
    }
  }

  window.addEventListener("load", () => {
    forgetSaved();
    const bar = document.querySelector("[data-brief-save-bar]");
    const form = bar && bar.closest("form");
    if (form) {
      start(form, bar);
    }
  });
})();
