// Charts from data attributes (no inline script: the CSP forbids it).
(function () {
  "use strict";
  if (!window.Chart) { return; }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var data = JSON.parse(canvas.getAttribute("data-chart"));
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: [{ label: canvas.getAttribute("data-label"), data: data.scores,
        borderColor: "#0f6b5c", backgroundColor: "rgba(15,107,92,.12)", fill: true, tension: 0.25 }] },
      options: { animation: false, scales: { y: { min: 0, max: 100 } }, plugins: { legend: { display: false } } }
    });
  });
  document.querySelectorAll("canvas[data-bars]").forEach(function (canvas) {
    var data = JSON.parse(canvas.getAttribute("data-bars"));
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: canvas.getAttribute("data-label"), data: data.counts,
        backgroundColor: ["#9fb8b2", "#7aa7de", "#a98bdc", "#f0c56b", "#f5b83d"] }] },
      options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
  var palette = ["#0f6b5c", "#c0562f", "#3f6fb5", "#8a5cc2", "#b8860b", "#2f8f3f", "#a33d6b", "#5b6770"];
  document.querySelectorAll("canvas[data-lines]").forEach(function (canvas) {
    var data = JSON.parse(canvas.getAttribute("data-lines"));
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.data, spanGaps: true, tension: 0.2,
          borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length] };
      }) },
      // A legend of more than a few agents hides the lines: the table beside the chart names them.
      options: { animation: false, scales: { y: { min: 0, max: 100 } },
        plugins: { legend: { display: data.series.length <= 8 } } }
    });
  });
})();
