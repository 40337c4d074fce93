/**
 * CSV for spreadsheets and other tools, safe against formula injection: a cell that begins with
 * `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so no spreadsheet evaluates it
 * (OWASP "CSV injection"). Every cell is quoted; quotes are doubled (RFC 4180).
 */
const DANGEROUS_FIRST = new Set(['=', '+', '-', '@', '\t', '\r']);

export function neutraliseCell(value: string): string {
  const first = value.charAt(0);
  return DANGEROUS_FIRST.has(first) ? `'${value}` : value;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) {
    return '""';
  }
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return `"${neutraliseCell(text).replace(/"/gu, '""')}"`;
}

export function csvRow(values: ReadonlyArray<unknown>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
