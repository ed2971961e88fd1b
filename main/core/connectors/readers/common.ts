import type { ImportIssue } from '../types'
import type { RawRecord } from '../values'

export interface ReadOutcome {
  readonly records: readonly RawRecord[]
  readonly errors: readonly ImportIssue[]
  readonly warnings: readonly ImportIssue[]
}

export function failed(error: ImportIssue): ReadOutcome {
  return { records: [], errors: [error], warnings: [] }
}

/** Splits lines on CRLF, LF and lone CR (old-Mac line ends occur in pasted text). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/)
}
