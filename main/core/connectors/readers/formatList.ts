import { issue, LIMITS } from '../issues'
import type { ImportIssue } from '../types'
import { canonicalName, isListProperty, type RawRecord, type RawValue } from '../values'
import type { ReadOutcome } from './common'

/** `Name   : value` (names padded to a common width, brief §3.6). Lines are capped before matching. */
export const FL_LINE = /^([A-Za-z_][\w.-]{0,127}) *:(?: (.*))?$/

/**
 * `{a, b, c}` is a multi-valued property; `{a, b, c, d...}` was cut at $FormatEnumerationLimit
 * (default 4, brief §3.6): the items shown are real but the list is incomplete.
 */
function listOrText(name: string, value: string): RawValue {
  const v = value.trim()
  const { known } = canonicalName(name)
  if (v.startsWith('{') && v.endsWith('}') && (isListProperty(name) || !known)) {
    let inner = v.slice(1, -1).trim()
    const truncated = inner.endsWith('...') || inner.endsWith('…')
    if (truncated) inner = inner.replace(/(?:\.\.\.|…)$/, '')
    const items = inner
      .split(/,\s*/)
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s): RawValue => ({ t: 'str', v: s }))
    return { t: 'list', items, truncated }
  }
  return { t: 'str', v }
}

/** Format-List text pasted from a console: objects separated by blank lines, long values wrapped. */
export function readFormatList(text: string): ReadOutcome {
  const records: RawRecord[] = []
  const errors: ImportIssue[] = []
  let current: [string, string][] = []
  let skippedLines = 0
  const flush = (): void => {
    if (current.length === 0) return
    if (records.length >= LIMITS.maxObjects) {
      if (!errors.some((e) => e.code === 'tooManyObjects')) {
        errors.push(issue('tooManyObjects', { limit: LIMITS.maxObjects }))
      }
    } else {
      records.push({
        props: current
          .slice(0, LIMITS.maxPropsPerObject)
          .map(([k, v]) => [k, listOrText(k, v)] as const),
        typeNames: [],
      })
    }
    current = []
  }
  // Lines end at CRLF, LF or a lone CR. They are found with indexOf rather than split: a 10 MB paste
  // of 1.6 million lines spent 0.17 s in split alone. A line of an object already holding
  // maxPropsPerObject properties is only counted, never cut out of the text nor matched.
  let nextLf = text.indexOf('\n')
  let nextCr = text.indexOf('\r')
  for (let pos = 0; pos <= text.length;) {
    if (nextLf >= 0 && nextLf < pos) nextLf = text.indexOf('\n', pos)
    if (nextCr >= 0 && nextCr < pos) nextCr = text.indexOf('\r', pos)
    const end = Math.min(nextLf < 0 ? text.length : nextLf, nextCr < 0 ? text.length : nextCr)
    const start = pos
    pos = end + (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1)
    if (current.length >= LIMITS.maxPropsPerObject && end > start) {
      const first = text.charCodeAt(start)
      if (first !== 0x20 && first !== 0x09) {
        skippedLines++
        continue
      }
    }
    const line = text.slice(start, Math.min(end, start + LIMITS.maxLineChars))
    if (line.trim() === '') {
      flush()
      // Past the object cap nothing more is read: stop instead of scanning the rest.
      if (errors.length > 0) break
      continue
    }
    const last = current[current.length - 1]
    // Continuation of a wrapped value: Format-List breaks at the console width, mid-word (§3.6).
    if (/^\s/.test(line) && last) {
      last[1] += line.trim()
      continue
    }
    if (current.length >= LIMITS.maxPropsPerObject) {
      skippedLines++
      continue
    }
    const m = FL_LINE.exec(line)
    if (m) {
      current.push([m[1]!, m[2] ?? ''])
      continue
    }
    // Prompt lines (`PS C:\> Get-InboundConnector | fl`) before the first object are expected.
    if (current.length > 0 || records.length > 0) skippedLines++
  }
  flush()
  const warnings = skippedLines > 0 ? [issue('skippedLines', { count: skippedLines })] : []
  return { records, errors, warnings }
}
