/** Enhanced status codes (RFC 3463 §2: class.subject.detail) as the knowledge base handles them. */
import type { CodeRange } from './types'

export interface EnhancedCode {
  readonly klass: 2 | 4 | 5
  readonly subject: number
  readonly detail: number
}

// Domain brief §1.0: the detail part can have three digits (5.7.133, 5.4.300, 5.1.351).
const CODE_RE = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]?\d)/

export function parseCode(code: string | null | undefined): EnhancedCode | null {
  if (!code) return null
  const m = /^\s*([245])\.(\d{1,3})\.(\d{1,3})\s*$/.exec(code)
  if (!m) return null
  return { klass: Number(m[1]) as 2 | 4 | 5, subject: Number(m[2]), detail: Number(m[3]) }
}

export function formatCode(c: EnhancedCode): string {
  return `${c.klass}.${c.subject}.${c.detail}`
}

/** Normalises `5.07.001` to `5.7.1`; returns '' for anything that is not an enhanced code. */
export function normaliseCode(code: string | null | undefined): string {
  const c = parseCode(code)
  return c ? formatCode(c) : ''
}

/**
 * First enhanced code in a diagnostic line. The code must stand alone (not part of an IP address or a
 * version number); `#550 4.4.7`, `smtp;550 5.1.1`, `550;5.7.711` all qualify (domain brief §2.6).
 */
export function findCode(text: string | null | undefined): string {
  if (!text) return ''
  const m = CODE_RE.exec(text)
  return m ? `${Number(m[1])}.${Number(m[2])}.${Number(m[3])}` : ''
}

export function inRange(code: string, range: CodeRange): boolean {
  const c = parseCode(code)
  const a = parseCode(range[0])
  const b = parseCode(range[1])
  if (!c || !a || !b) return false
  return (
    c.klass === a.klass &&
    c.subject === a.subject &&
    a.klass === b.klass &&
    a.subject === b.subject &&
    c.detail >= a.detail &&
    c.detail <= b.detail
  )
}

/** RFC 3463 §3: subjects 0–7 and the detail codes the RFC defines for each. */
export const RFC3463_DETAILS: Readonly<Record<number, readonly number[]>> = {
  0: [0],
  1: [0, 1, 2, 3, 4, 5, 6, 7, 8],
  2: [0, 1, 2, 3, 4],
  3: [0, 1, 2, 3, 4, 5],
  4: [0, 1, 2, 3, 4, 5, 6, 7],
  5: [0, 1, 2, 3, 4, 5],
  6: [0, 1, 2, 3, 4, 5],
  7: [0, 1, 2, 3, 4, 5, 6, 7],
}

export function isRfc3463Detail(subject: number, detail: number): boolean {
  return RFC3463_DETAILS[subject]?.includes(detail) ?? false
}
