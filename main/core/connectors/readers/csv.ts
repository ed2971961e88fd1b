import Papa from 'papaparse'
import { issue, LIMITS } from '../issues'
import type { ImportIssue } from '../types'
import type { RawRecord, RawValue } from '../values'
import { failed, type ReadOutcome } from './common'

/** Picks `,`, `;` or tab from the header row, counting outside quotes (brief §3.10). */
export function detectDelimiter(header: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 }
  let quoted = false
  for (const ch of header) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && ch in counts) counts[ch]! += 1
  }
  let best = ','
  for (const d of [';', '\t']) if (counts[d]! > counts[best]!) best = d
  return best
}

/**
 * One RFC 4180 pass (quotes, doubled quotes, line breaks inside quotes) before Papa parses anything:
 * the header's columns and every field's length are bounded, and the text is cut after the header
 * and `maxObjects + 1` rows with content (reliability.md §4: caps before the expensive work; Papa
 * took 0.2 s for a 10 MB export of which 5,000 rows are read, 0.5 s for one 10 MB field of `""`).
 * Returns the length of text to parse, or the issue that refuses it.
 */
function bound(body: string, delimiter: string): number | ImportIssue {
  const delim = delimiter.charCodeAt(0)
  let quoted = false
  let fieldStart = 0
  let columns = 1
  let rows = 0
  let content = false
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i)
    if (quoted) {
      if (i - fieldStart > LIMITS.maxValueChars) {
        return issue('valueTooLong', { limit: LIMITS.maxValueChars })
      }
      if (c === 0x22) {
        if (body.charCodeAt(i + 1) === 0x22) i++
        else quoted = false
      } else if (c !== 0x0d && c !== 0x0a) content = true
      continue
    }
    if (c === 0x22) quoted = true
    else if (c === delim || c === 0x0a || c === 0x0d) {
      if (i - fieldStart > LIMITS.maxValueChars) {
        return issue('valueTooLong', { limit: LIMITS.maxValueChars })
      }
      fieldStart = i + 1
      if (c === delim) {
        if (rows === 0 && ++columns > LIMITS.maxColumns) {
          return issue('tooManyColumns', { limit: LIMITS.maxColumns })
        }
      } else if (content) {
        // A row ends (greedy skipping: rows of only blanks and delimiters do not count).
        content = false
        if (++rows > LIMITS.maxObjects + 1) {
          return c === 0x0d && body.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1
        }
      }
    } else if (c !== 0x20 && c !== 0x09) content = true
  }
  if (body.length - fieldStart > LIMITS.maxValueChars) {
    return issue('valueTooLong', { limit: LIMITS.maxValueChars })
  }
  return body.length
}

/**
 * Export-Csv output of Windows PowerShell 5.1 (`#TYPE` first line, everything quoted) and of
 * PowerShell 7 (no `#TYPE`, quotes optional), with the culture delimiter (brief §3.7).
 */
export function readCsv(text: string): ReadOutcome {
  let body = text
  const typeNames: string[] = []
  const firstBreak = body.search(/\r\n|\r|\n/)
  const firstLine = firstBreak < 0 ? body : body.slice(0, firstBreak)
  if (/^#TYPE\s/i.test(firstLine)) {
    typeNames.push(firstLine.slice(6).trim().slice(0, 500))
    body = firstBreak < 0 ? '' : body.slice(firstBreak).replace(/^(?:\r\n|\r|\n)/, '')
  }
  const headerEnd = body.search(/\r\n|\r|\n/)
  // The first 64 KB of the header decide the delimiter as well as all of it would.
  const delimiter = detectDelimiter(
    body.slice(0, Math.min(headerEnd < 0 ? body.length : headerEnd, 65_536)),
  )
  const bounded = bound(body, delimiter)
  if (typeof bounded !== 'number') return failed(bounded)
  const parsed = Papa.parse<string[]>(bounded < body.length ? body.slice(0, bounded) : body, {
    delimiter,
    skipEmptyLines: 'greedy',
    header: false,
  })
  const rows = parsed.data
  const header = rows[0]
  if (!header || header.every((h) => h.trim() === '')) return failed(issue('empty'))
  const errors: ImportIssue[] = []
  const warnings: ImportIssue[] = []
  // An unterminated quote runs to the end of the input: the file was cut (or never closed).
  if (parsed.errors.some((e) => e.code === 'MissingQuotes')) errors.push(issue('truncatedFile'))
  const names = header.map((h) => h.trim())
  const records: RawRecord[] = []
  let skipped = 0
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!
    if (row.length !== names.length) {
      // A short last row is the tail of a cut file; a short row elsewhere is skipped.
      if (r === rows.length - 1 && row.length < names.length) {
        if (!errors.some((e) => e.code === 'truncatedFile')) errors.push(issue('truncatedFile'))
        continue
      }
      if (row.length < names.length) {
        skipped++
        continue
      }
    }
    if (records.length >= LIMITS.maxObjects) {
      errors.push(issue('tooManyObjects', { limit: LIMITS.maxObjects }))
      break
    }
    const props: (readonly [string, RawValue])[] = []
    const seen = new Set<string>()
    for (let i = 0; i < names.length && i < LIMITS.maxPropsPerObject; i++) {
      const name = names[i]!
      if (name === '' || seen.has(name.toLowerCase())) continue
      seen.add(name.toLowerCase())
      props.push([name, { t: 'str', v: row[i] ?? '' }])
    }
    records.push({ props, typeNames })
  }
  if (skipped > 0) warnings.push(issue('skippedRecords', { count: skipped }))
  return { records, errors, warnings }
}
