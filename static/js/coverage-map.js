// The coverage map: the 11 cities of Jiangxi shaded and labelled by their number of
// city-level bases. Kept out of the page for the Content-Security-Policy (script-src 'self').
// The table beside the map carries every figure, so any failure here just leaves the
// fallback text in place.
(function () {
  "use strict";

  var root = document.getElementById("coverage-map");
  if (!root || !window.echarts || !window.fetch) {
    return;
  }
  var labels = JSON.parse(root.dataset.labels || "{}");
  // A light orange for a gap, then blues; the number written on each city says the same.
  var PIECES = [
    { value: 0, label: labels.none, color: "#fdd0a2" },
    { min: 1, max: 1, label: labels.one, color: "#c6dbef" },
    { min: 2, max: 4, label: labels.few, color: "#6baed6" },
    { min: 5, label: labels.many, color: "#3182bd" }
  ];

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(url + " answered " + response.status);
        }
        return response.json();
      });
  }

  function tooltip(params) {
    var city = params.data;
    if (!city || !city.cityName) {
      return "";
    }
    var lines = ["training", "incubator", "city_training", "city_incubator"].map(function (key) {
      return labels[key] + ": " + city[key];
    });
    return [city.cityName].concat(lines).map(escapeHtml).join("<br>");
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function option(numbers) {
    var small = root.clientWidth < 420;  // a phone: smaller words, the same facts
    var fontSize = small ? 11 : 13;
    var data = numbers.cities.map(function (city) {
      return {
        name: city.code, value: city[numbers.metric], cityName: city.name,
        training: city.training, incubator: city.incubator,
        city_training: city.city_training, city_incubator: city.city_incubator
      };
    });
    return {
      animation: false,
      aria: { enabled: true, label: { description: numbers.description } },
      tooltip: { trigger: "item", formatter: tooltip },
      visualMap: {
        type: "piecewise", pieces: PIECES, left: 8, bottom: 8, orient: "vertical",
        text: [labels.metric], showLabel: true, itemGap: 6,
        textStyle: { color: "#1f2933", fontSize: fontSize }, itemSymbol: "rect",
        itemWidth: small ? 14 : 20, itemHeight: small ? 10 : 14
      },
      series: [{
        type: "map", map: "jiangxi", nameProperty: "code", roam: false,
        layoutCenter: ["55%", "48%"], layoutSize: "92%",
        data: data,
        label: {
          show: true, color: "#1f2933", fontSize: fontSize, fontWeight: "bold",
          textBorderColor: "#ffffff", textBorderWidth: 3,
          formatter: function (params) {
            // a city outside the reader's region has no figures: no label (was "undefined NaN")
            return params.data && params.data.cityName ? params.data.cityName + "\n" + params.value : "";
          }
        },
        itemStyle: { borderColor: "#4a5560", borderWidth: 1 },
        emphasis: {
          label: { show: true, color: "#000000" },
          itemStyle: { areaColor: "#ffbf47" }
        },
        select: { disabled: true }
      }]
    };
  }

  function draw(geojson, numbers) {
    window.echarts.registerMap("jiangxi", geojson);
    root.textContent = "";  // the no-JavaScript note goes; the table stays
    var chart = window.echarts.init(root, null, { renderer: "canvas" });
    chart.on("finished", function () {
      root.dataset.state = "ready";
    });
    chart.setOption(option(numbers));
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  Promise.all([getJson(root.dataset.geojsonUrl), getJson(root.dataset.mapUrl)])
    .then(function (results) {
      draw(results[0], results[1]);
    })
    .catch(function (error) {
      root.dataset.state = "failed";
      if (window.console) {
        window.console.warn("coverage map not drawn:", error);
      }
    });
})();
