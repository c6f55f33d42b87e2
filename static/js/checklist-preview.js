// The checklist change preview while the worker scores: polls the status URL the page names, shows the count,
// and reloads the page (which then renders the result) once it is done or has failed.
(function () {
  "use strict";
  function start() {
    var box = document.querySelector("[data-preview-status]");
    if (!box) { return; }
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-preview-progress]");
    var format = box.dataset.previewCount;
    function show(state) {
      if (state.total === null) { return; }
      bar.max = Math.max(state.total, 1);
      bar.value = state.done;
      text.textContent = format.replace("%(done)s", state.done).replace("%(total)s", state.total);
    }
    function poll() {
      fetch(box.dataset.previewStatus, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 404) { window.location.reload(); return null; }  // expired: the page says so
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (state) {
          if (!state) { return; }
          if (state.state === "done" || state.state === "failed") { window.location.reload(); return; }
          show(state);
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });  // a lost request: try again, a little later
    }
    window.setTimeout(poll, 500);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
