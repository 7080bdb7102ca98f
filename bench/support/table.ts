/**
 * The one table `bench/run.ts` prints: a Markdown pipe table (readable in a terminal, pasteable into an issue),
 * one line per row, with the ratio `value / comparedValue` computed here so every script reports it the same way.
 */
import type { BenchRow } from '../bench-row';

/** A row and the script it came from. */
export interface TableRow {
  script: string;
  row: BenchRow;
  failed?: boolean;
}

const HEADERS = ['figure', 'value', 'compared with', 'compared value', 'ratio', 'target', 'met?'];

/** Formats a number with at most 3 significant digits below 1000 and thousands separators above. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs === 0) return '0';
  return String(Number(value.toPrecision(3)));
}

function withUnit(value: number, unit: string): string {
  const text = formatNumber(value);
  if (text === '—' || unit === '') return text;
  return unit === '×' || unit === '%' ? `${text}${unit}` : `${text} ${unit}`;
}

function cells({ row, failed }: TableRow): string[] {
  const compared = row.comparedValue !== undefined;
  const ratio = compared && row.comparedValue !== 0 ? row.value / row.comparedValue! : Number.NaN;
  return [
    row.figure,
    withUnit(row.value, row.unit),
    row.comparedWith ?? '',
    compared ? withUnit(row.comparedValue!, row.unit) : '',
    compared ? `${formatNumber(ratio)}×` : '',
    row.target ?? '',
    failed ? 'FAILED' : row.meetsTarget === undefined ? '' : row.meetsTarget ? 'yes' : 'NO',
  ];
}

/** The whole table, with a section line before each script's rows. */
export function formatTable(rows: readonly TableRow[]): string {
  const body: (string[] | string)[] = [];
  let script: string | undefined;
  for (const r of rows) {
    if (r.script !== script) {
      script = r.script;
      body.push(`**${script}**`);
    }
    body.push(cells(r).map((c) => c.replace(/\|/g, '\\|')));
  }
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.filter((b): b is string[] => Array.isArray(b)).map((b) => b[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => (i === 1 || i === 3 || i === 4 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ')} |`;
  const out = [line(HEADERS), `|${widths.map((w, i) => (i === 1 || i === 3 || i === 4 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`];
  for (const b of body) out.push(Array.isArray(b) ? line(b) : line([b, ...HEADERS.slice(1).map(() => '')]));
  return out.join('\n');
}
