/* Draws a page's Altair charts from its chart file (loaded with `defer`, only
   on pages with charts; see alliances/sphinxext.py, "Chart files").

   The build moves every chart's spec out of the page's HTML into one file,
   _static/charts/<page>.js, which calls allianceCharts.draw(payload) with

     {"datasets": {key: table, ...},
      "charts": [{"id": "altair-viz-...", "spec": {...}, "options": {...},
                  "fill": [[path, key], ...]}, ...]}

   A table is either a list of rows (objects) or, packed by columns,
   {"columns": [name, ...], "values": [column, ...], "rows": n}, where a
   column is a list of values or {"dict": [value, ...], "index": [i, ...]}.
   Each `fill` puts a table's rows back into the spec at `path` (for a Vega
   spec ["data", 3, "values"]), so that vega-embed receives the spec the
   build compiled. The charts are drawn one after the other, in page order,
   into the placeholders the HTML keeps (div#altair-viz-...). A chart that
   fails shows its error in its place and in the console; the next ones are
   still drawn. Works from file:// (no fetch). */
(function () {
  "use strict";

  function column(col, n) {
    if (Array.isArray(col)) return col;
    var out = new Array(n);
    for (var i = 0; i < n; i++) out[i] = col.dict[col.index[i]];
    return out;
  }

  function rowsOf(table) {
    if (Array.isArray(table)) return table;
    var n = table.rows, names = table.columns;
    var cols = table.values.map(function (c) { return column(c, n); });
    var rows = new Array(n);
    for (var i = 0; i < n; i++) {
      var row = {};
      for (var j = 0; j < names.length; j++) row[names[j]] = cols[j][i];
      rows[i] = row;
    }
    return rows;
  }

  function fill(spec, path, rows) {
    var node = spec;
    for (var i = 0; i < path.length - 1; i++) node = node[path[i]];
    node[path[path.length - 1]] = rows;
  }

  function showError(el, chart, err) {
    var box = document.createElement("div");
    box.className = "error";
    box.style.color = "red";
    box.textContent = "This chart could not be drawn: " + (err && err.message || err);
    el.replaceChildren(box);
    console.error("chart " + chart.id + ":", err);
  }

  function drawOne(chart, datasets) {
    var el = document.getElementById(chart.id);
    if (!el) {
      console.error("chart " + chart.id + ": no placeholder on the page");
      return Promise.resolve();
    }
    try {
      (chart.fill || []).forEach(function (f) { fill(chart.spec, f[0], rowsOf(datasets[f[1]])); });
      return window.vegaEmbed(el, chart.spec, chart.options)
        .catch(function (err) { showError(el, chart, err); });
    } catch (err) {
      showError(el, chart, err);
      return Promise.resolve();
    }
  }

  window.allianceCharts = {
    rowsOf: rowsOf,
    draw: function (payload) {
      var datasets = payload.datasets || {};
      return payload.charts.reduce(function (done, chart) {
        return done.then(function () { return drawOne(chart, datasets); });
      }, Promise.resolve());
    }
  };
})();
