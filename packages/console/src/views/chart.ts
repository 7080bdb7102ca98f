import { html } from 'hono/html';
import { formatCount } from './format';
import type { Markup } from './layout';

/** A daily chart: one value per day for each series, drawn by uPlot and always listed in a table beside it. */
export interface DailyChart {
  id: string;
  title: string;
  unit: string;
  days: readonly string[];
  series: readonly { label: string; values: readonly number[] }[];
  /** Formats a value in the table. Default: a whole number. */
  format?: (value: number) => string;
  /** Draw the series stacked (their sum is the total). */
  stacked?: boolean;
}

/**
 * The chart's numbers travel in a `data-chart` attribute (escaped like every other value), and `console.js`
 * draws them; without JavaScript the table alone says everything.
 */
export function dailyChart(chart: DailyChart): Markup {
  const format = chart.format ?? formatCount;
  const data = {
    unit: chart.unit,
    stacked: chart.stacked ?? false,
    x: chart.days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000),
    series: chart.series.map((s) => ({ label: s.label, values: s.values })),
  };
  return html`<figure class="chart-block" id="${chart.id}">
  <figcaption>${chart.title}</figcaption>
  <div class="chart" data-chart="${JSON.stringify(data)}" role="img" aria-label="${chart.title}; the table beside it lists every value"></div>
  <details class="chart-table" open>
    <summary>Table of this chart</summary>
    <table>
      <thead><tr><th scope="col">Day</th>${chart.series.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead>
      <tbody>${chart.days.map(
        (day, i) => html`<tr><th scope="row">${day}</th>${chart.series.map((s) => html`<td class="num">${format(s.values[i] ?? 0)}</td>`)}</tr>`,
      )}</tbody>
    </table>
  </details>
</figure>`;
}

/** A breakdown table whose bars are native `<meter>` elements (no inline styles, so the CSP can forbid them). */
export function breakdownTable(options: {
  id: string;
  title: string;
  label: string;
  rows: readonly { name: string; tokens: number; costUsd?: number; note?: string }[];
  formatCost?: (value: number) => string;
}): Markup {
  const total = options.rows.reduce((n, r) => n + r.tokens, 0);
  const withCost = options.rows.some((r) => r.costUsd !== undefined) && options.formatCost;
  return html`<section class="breakdown" id="${options.id}">
  <h3>${options.title}</h3>
  ${options.rows.length === 0
    ? html`<p class="empty">Nothing in this range.</p>`
    : html`<table>
    <thead><tr><th scope="col">${options.label}</th><th scope="col">Tokens</th><th scope="col">Share</th>${withCost ? html`<th scope="col">Cost</th>` : ''}</tr></thead>
    <tbody>${options.rows.map(
      (r) => html`<tr><th scope="row">${r.name}${r.note ? html` <small>${r.note}</small>` : ''}</th><td class="num">${formatCount(r.tokens)}</td>
        <td><meter min="0" max="1" value="${total === 0 ? 0 : r.tokens / total}">${total === 0 ? 0 : Math.round((r.tokens / total) * 100)}%</meter> ${total === 0 ? 0 : Math.round((r.tokens / total) * 100)}%</td>${withCost ? html`<td class="num">${options.formatCost!(r.costUsd ?? 0)}</td>` : ''}</tr>`,
    )}</tbody>
  </table>`}
</section>`;
}
