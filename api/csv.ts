/**
 * CSV (RFC 4180) for the audit trail and the compliance report. Every field is quoted; a field
 * that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe
 * (OWASP "CSV injection"), since Party names and comments may hold anything.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join(' ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function field(value: unknown): string {
  const raw = text(value);
  const safe = FORMULA_START.test(raw) ? `'${raw}` : raw;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvHeader<T>(columns: readonly (keyof T)[]): string {
  return columns.map((c) => field(String(c))).join(',') + '\r\n';
}

export function csvLine<T>(columns: readonly (keyof T)[], row: T): string {
  return columns.map((c) => field(row[c])).join(',') + '\r\n';
}

export function toCsv<T>(columns: readonly (keyof T)[], rows: readonly T[]): string {
  return csvHeader(columns) + rows.map((row) => csvLine(columns, row)).join('');
}
