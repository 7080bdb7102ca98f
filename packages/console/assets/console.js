// Claw console: draws each chart from the numbers in its data-chart attribute. The table beside every chart
// already lists the same numbers, so the page says everything without this script.
(function () {
  'use strict';
  var palette = ['#3366cc', '#dd8833', '#2a9d8f', '#9c27b0'];
  function draw(el) {
    var data;
    try {
      data = JSON.parse(el.getAttribute('data-chart'));
    } catch (e) {
      return;
    }
    if (!window.uPlot || !data || !data.x || data.x.length === 0) return;
    var columns = [data.x];
    var series = [{}];
    var running = data.x.map(function () { return 0; });
    data.series.forEach(function (s, i) {
      var values = s.values;
      if (data.stacked) {
        running = running.map(function (v, j) { return v + (values[j] || 0); });
        values = running.slice();
      }
      columns.push(values);
      series.push({ label: s.label, stroke: palette[i % palette.length], fill: data.stacked ? palette[i % palette.length] + '33' : undefined, width: 2, points: { show: data.x.length < 40 }, value: function (u, v) { return format(v); } });
    });
    if (data.stacked) {
      // Draw the biggest (cumulative) band first so smaller ones stay visible on top of it.
      columns = [columns[0]].concat(columns.slice(1).reverse());
      series = [series[0]].concat(series.slice(1).reverse());
    }
    function format(v) {
      if (v === null || v === undefined) return '';
      return data.unit === 'USD' ? '$' + v.toFixed(v >= 1 ? 2 : 4) : Math.round(v).toLocaleString('en-US');
    }
    var width = Math.max(280, Math.min(el.clientWidth || 640, 900));
    el.textContent = '';
    new window.uPlot({
      width: width,
      height: 240,
      series: series,
      axes: [{}, { label: data.unit, size: 80, values: function (u, values) { return values.map(format); } }],
      legend: { live: true },
      scales: { y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } } },
    }, columns, el);
  }
  function start() {
    var charts = document.querySelectorAll('.chart[data-chart]');
    for (var i = 0; i < charts.length; i++) draw(charts[i]);
    document.documentElement.setAttribute('data-charts-drawn', String(charts.length));
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
