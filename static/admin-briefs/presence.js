/* Who else is here: keep this editor's presence on the brief fresh while the
   page stays open, show who else has it open, and say goodbye on leaving. */
"use strict";
(function () {
  const INTERVAL_MS = 45000;

  function start(box) {
    const notice = box.querySelector("[data-presence-notice]");
    const token = box.querySelector("input[name=csrfmiddlewaretoken]").value;

    function show(others) {
      notice.replaceChildren();
      others.forEach((other, index) => {
        notice.append(index ? "; Being edited by " : "Being edited by ");
        const name = document.createElement("strong");
        name.textContent = other.name;
        notice.append(name, ` since ${other.since}`);
      });
      if (others.length) {
        notice.append(
          ". Save with care: a save based on an older version is refused."
        );
      }
      notice.hidden = others.length === 0;
    }

    function beat() {
      fetch(box.dataset.heartbeatUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token },
      })
        .then((response) => (response.ok ? response.json() : null))
        .then((answer) => answer && show(answer.others))
        .catch(() => {});
    }

    window.setInterval(beat, INTERVAL_MS);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") {
        beat();
      }
    });
    window.addEventListener("pagehide", () => {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", token);
      navigator.sendBeacon(box.dataset.leaveUrl, body);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-brief-presence]").forEach(start);
  });
})();
