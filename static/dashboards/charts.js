/* Draws every <canvas data-chart="ID"> from the JSON of <script id="ID"> (Django's
 * json_script): {type, labels, datasets: [{label, data, type?}], horizontal?}.
 * Colours are the portal's; numbers are formatted in the page's language. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var palette = ["#a4161a", "#1d4e89", "#2a9d8f", "#e9a03b", "#6c757d", "#7b2cbf",
    "#264653", "#8ab17d", "#b56576", "#577590"];
  var locale = document.documentElement.lang || "vi";

  function dataset(spec, index, chartType) {
    var colour = palette[index % palette.length];
    var ds = { label: spec.label, data: spec.data };
    if (spec.type) {
      ds.type = spec.type;
    }
    if (chartType === "doughnut" || chartType === "pie") {
      ds.backgroundColor = spec.data.map(function (_, i) { return palette[i % palette.length]; });
    } else if ((spec.type || chartType) === "line") {
      ds.borderColor = colour;
      ds.backgroundColor = colour;
      ds.tension = 0.2;
    } else {
      ds.backgroundColor = colour;
    }
    return ds;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var round = spec.type === "doughnut" || spec.type === "pie";
    var options = {
      locale: locale,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom" } }
    };
    if (!round) {
      options.scales = {};
      options.scales[spec.horizontal ? "x" : "y"] = { beginAtZero: true, ticks: { precision: 0 } };
    }
    if (spec.horizontal) {
      options.indexAxis = "y";
    }
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d, i) { return dataset(d, i, spec.type); })
      },
      options: options
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
  // [data-print] buttons are wired by js/portal.js, which every page loads.
})();
