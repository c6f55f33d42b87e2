// Draws the analytics charts from the JSON the page embeds; the tables beside them say the same without JS.
// A series is {labels, values} (one set of bars) or {labels, datasets: [{label, values, dashed}]} (several, with a
// legend); data-type="line" on the canvas draws lines (a missing value is a gap), data-percent="1" a 0–100 axis.
(function () {
  "use strict";
  var COLOURS = ["#0d6efd", "#dc3545", "#fd7e14", "#198754", "#6f42c1", "#20c997"];
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var series = data[canvas.dataset.chart];
      if (!series || !series.labels || !series.labels.length) { canvas.remove(); return; }
      var horizontal = canvas.dataset.horizontal === "1";
      var percent = canvas.dataset.percent === "1";
      var line = canvas.dataset.type === "line";
      var sets = series.datasets || [{ values: series.values }];
      var datasets = sets.map(function (set, i) {
        var colour = COLOURS[i % COLOURS.length];
        return {
          label: set.label || "",
          data: set.values,
          backgroundColor: colour,
          borderColor: colour,
          borderDash: set.dashed ? [6, 4] : undefined,
          pointRadius: line ? 2 : undefined,
          spanGaps: false,
        };
      });
      new Chart(canvas, {
        type: line ? "line" : "bar",
        data: { labels: series.labels, datasets: datasets },
        options: {
          indexAxis: horizontal ? "y" : "x",
          plugins: { legend: { display: Boolean(series.datasets) } },
          scales: {
            [horizontal ? "x" : "y"]: { beginAtZero: true, max: percent ? 100 : undefined, ticks: { precision: 0 } },
          },
          animation: false,
        },
      });
      canvas.dataset.drawn = "1";
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
