// Draws the analytics charts from the JSON the page embeds; the tables below them say the same without JS.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var series = data[canvas.dataset.chart];
      if (!series || !series.values.length) { canvas.remove(); return; }
      var horizontal = canvas.dataset.horizontal === "1";
      var percent = canvas.dataset.percent === "1";
      new Chart(canvas, {
        type: "bar",
        data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: "#0d6efd" }] },
        options: {
          indexAxis: horizontal ? "y" : "x",
          plugins: { legend: { display: false } },
          scales: {
            [horizontal ? "x" : "y"]: { beginAtZero: true, max: percent ? 100 : undefined, ticks: { precision: 0 } },
          },
          animation: false,
        },
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
