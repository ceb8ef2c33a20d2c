// The organiser's live scoreboard: every 30 seconds, fetch the page again and put its
// standings table in place of this one. Only the short "updated at" line is a live region
// (polite), so a screen reader is not read the whole table each time. The button pauses
// and resumes the refresh (WCAG 2.2.2); without JavaScript the page has a refresh link.
(function () {
  "use strict";
  var region = document.getElementById("scoreboard");
  var toggle = document.getElementById("scoreboard-toggle");
  var status = document.getElementById("scoreboard-updated");
  if (!region || !toggle || !status || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = Number(region.dataset.refreshSeconds) || 30;
  var timer = null;

  function clock() {
    var now = new Date();
    return [now.getHours(), now.getMinutes(), now.getSeconds()].map(function (n) {
      return (n < 10 ? "0" : "") + n;
    }).join(":");
  }

  function refresh() {
    window.fetch(window.location.href, {
      credentials: "same-origin", headers: { Accept: "text/html" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.text();
    }).then(function (html) {
      var fresh = new window.DOMParser().parseFromString(html, "text/html")
        .getElementById("scoreboard-table");
      var current = document.getElementById("scoreboard-table");
      if (fresh && current) {
        current.replaceWith(document.importNode(fresh, true));
        status.textContent = toggle.dataset.updated.replace("{time}", clock());
      }
    }).catch(function () {
      // A network hiccup: the next round tries again; the table shown stays as it was.
    });
  }

  function start() {
    timer = window.setInterval(refresh, seconds * 1000);
    toggle.textContent = toggle.dataset.pause;
  }

  function stop() {
    window.clearInterval(timer);
    timer = null;
    toggle.textContent = toggle.dataset.resume;
  }

  toggle.addEventListener("click", function () {
    if (timer === null) {
      refresh();
      start();
    } else {
      stop();
    }
  });
  toggle.hidden = false;
  start();
}());
