/**
 * CSV for spreadsheets, hardened against formula injection (CWE-1236): OWASP ASVS 5.0 V1.2.10 and
 * OWASP's CSV Injection page (reliability.md §4.4). A text cell that starts with `=`, `+`, `-`, `@`,
 * tab, CR or NUL gets a leading `'`; quoting alone does not stop evaluation. The full-width forms
 * are included defensively (spreadsheets in East Asian locales may normalize them).
 */
const TRIGGERS = new Set([
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\u0000',
  '\uff1d',
  '\uff0b',
  '\uff0d',
  '\uff20',
])

export type CsvCell = string | number | boolean | null | undefined

export function neutralizeCell(value: string): string {
  return value.length > 0 && TRIGGERS.has(value[0]!) ? `'${value}` : value
}

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  // Numbers and booleans cannot carry a formula; text can, whatever it looks like.
  const text = typeof value === 'string' ? neutralizeCell(value) : String(value)
  // RFC 4180 §2.6–2.7: quote every field, double embedded quotes.
  return `"${text.replace(/"/g, '""')}"`
}

/** Rows to RFC 4180 CSV with CRLF line ends; the caller puts the header row first. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + (rows.length > 0 ? '\r\n' : '')
}
