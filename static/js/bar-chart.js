// A grouped bar chart drawn from the table it sits beside: every figure is in the table,
// so a failure here only leaves the chart's text alternative. Any element with
// data-chart-table="<table id>" becomes a chart of that table's numeric columns.
(function () {
  "use strict";
  if (!window.echarts) {
    return;
  }
  var COLOURS = ["#0b4f8a", "#c05a00", "#2e7d32", "#6a1b9a"];

  function numbers(row, columns) {
    return columns.map(function (index) {
      return Number(row.cells[index].dataset.value || row.cells[index].textContent) || 0;
    });
  }

  function draw(root) {
    var table = document.getElementById(root.dataset.chartTable);
    if (!table) {
      return;
    }
    var columns = (root.dataset.columns || "").split(",").map(Number);
    var headers = table.tHead.rows[0].cells;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows).filter(function (row) {
      return row.cells.length > Math.max.apply(null, columns);
    });
    var series = columns.map(function (index, n) {
      return {
        name: headers[index].textContent.trim(), type: "bar", color: COLOURS[n % COLOURS.length],
        // Patterns as well as colours: the bars are told apart without colour vision.
        itemStyle: { decal: { symbol: n % 2 ? "rect" : "none", dashArrayX: [1, 0],
                              dashArrayY: [2, 5], rotation: n * 0.8 } },
        label: { show: true, position: "top" },
        data: rows.map(function (row) { return numbers(row, [index])[0]; })
      };
    });
    var chart = window.echarts.init(root, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      aria: { enabled: true, label: { description: root.getAttribute("aria-label") },
              decal: { show: true } },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 40, bottom: 60, containLabel: true },
      xAxis: { type: "category", axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 },
               data: rows.map(function (row) { return row.cells[0].textContent.trim(); }) },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-chart-table]"), draw);
})();
