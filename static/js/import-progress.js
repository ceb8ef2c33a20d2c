// The page of an Excel import: polls its progress (JSON) while it runs, then reloads to
// show the result or every error. Without JavaScript the page has a refresh link.
(function () {
  "use strict";
  var result = document.getElementById("import-result");
  if (result && /[?&]finished=1/.test(window.location.search)) {
    result.focus();  // the reload came from here: take the reader to the outcome
  }
  var root = document.getElementById("import-progress");
  if (!root || !window.fetch) {
    return;
  }
  var bar = document.getElementById("import-bar");
  var text = document.getElementById("import-text");
  var phase = document.getElementById("import-phase");
  var announced = -1;
  var lastPhase = phase.textContent.trim();

  function show(data) {
    if (data.total_rows) {
      bar.max = data.total_rows;
      bar.value = data.processed_rows;
    }
    bar.textContent = data.text;
    phase.firstElementChild.textContent = data.phase;
    // The live region speaks at each tenth and each change of phase, not at every poll.
    var tenth = data.total_rows ? Math.floor(10 * data.processed_rows / data.total_rows) : 0;
    if (tenth !== announced || data.phase !== lastPhase) {
      text.textContent = data.text;
      announced = tenth;
      lastPhase = data.phase;
    }
  }

  function poll() {
    window.fetch(root.dataset.statusUrl, {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (data) {
      show(data);
      if (data.finished || data.interrupted) {  // the page says what happened
        window.location.replace(root.dataset.pageUrl);
      } else {
        window.setTimeout(poll, 1000);
      }
    }).catch(function () {
      window.setTimeout(poll, 5000);  // a network hiccup: try again, more slowly
    });
  }

  window.setTimeout(poll, 500);
}());
