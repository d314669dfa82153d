// The progress bar of a call monitoring import (templates/finance/import_detail.html): asks the server how far the
// import has got every second, updates the <progress> and its text (announced politely), and reloads the page to
// show the result when it is done. Without JavaScript the page refreshes itself instead (a <noscript> refresh).
(function () {
  var box = document.getElementById("import-progress");
  if (!box) return;
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var url = box.getAttribute("data-progress-url");
  var lastLabel = "";

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        if (state.finished) {
          window.location.reload();
          return;
        }
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        var total = state.rows_total === null ? "?" : state.rows_total;
        var label = state.label + ": " + state.percent + "% (" + state.rows_done + " of " + total + " rows read)";
        if (label !== lastLabel) {
          text.textContent = label;
          lastLabel = label;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 500);
})();
