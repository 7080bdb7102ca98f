/** A column of {@link formatTable}: its heading and whether numbers are right-aligned. */
export interface Column {
  heading: string;
  align?: 'left' | 'right';
}

/** Plain-text table with a heading row and aligned columns, for terminals and pipes alike (no colour, no borders). */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.heading.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (columns[i]!.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.heading)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A whole number with thousands separators. */
export const count = (value: number) => value.toLocaleString('en-US');

/** Dollars with up to 6 decimals (usage costs are small). */
export const dollars = (value: number) => `$${value.toFixed(6).replace(/0{1,4}$/, '')}`;

/** A share 0..1 as a whole percentage. */
export const percent = (value: number) => `${Math.round(value * 100)}%`;

/** A time as an ISO 8601 UTC string to the minute. */
export const isoMinute = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
