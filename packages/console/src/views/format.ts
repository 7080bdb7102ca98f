/** Number formatting shared by the pages (always en-US, so pages read the same on every server). */

/** A whole number with thousands separators. */
export const formatCount = (value: number): string => Math.round(value).toLocaleString('en-US');

/** A cost in US dollars: cents for large amounts, more digits for small ones. */
export const formatUsd = (value: number): string => (value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`);

/** A 0..1 share as a percentage. */
export const formatShare = (value: number): string => `${Math.round(value * 100)}%`;

/** A nullable count ("–" when there is nothing to divide by). */
export const formatPer = (value: number | null): string => (value === null ? '–' : formatCount(value));

/** An instant as UTC date and time, to the second. */
export const formatInstant = (at: number): string => `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
