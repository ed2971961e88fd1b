import { issue, LIMITS } from '../issues'
import type { ImportIssue } from '../types'
import type { RawRecord, RawValue } from '../values'
import { failed, type ReadOutcome } from './common'

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function own(o: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined
}

/**
 * A nested object that ConvertTo-Json wrote at -Depth 2 (brief §3.8): `Identity`/`Id` as objects,
 * or Windows PowerShell 5.1's `{"value": [...], "Count": n}` wrapper around a collection.
 */
function nestedValue(o: Record<string, unknown>, depth: number): RawValue {
  const value = own(o, 'value')
  if (Array.isArray(value)) return convert(value, depth)
  for (const key of ['Name', 'DomainName', 'DistinguishedName', 'ToString', 'Address']) {
    const v = own(o, key)
    if (typeof v === 'string') return { t: 'str', v }
  }
  return { t: 'str', v: JSON.stringify(o).slice(0, 200) }
}

function convert(v: unknown, depth: number): RawValue {
  if (v === null || v === undefined) return { t: 'null' }
  if (typeof v === 'boolean') return { t: 'bool', v }
  if (typeof v === 'number') return { t: 'num', v }
  if (typeof v === 'string') return { t: 'str', v }
  if (Array.isArray(v)) {
    if (depth > 3) return { t: 'str', v: '[…]' }
    return {
      t: 'list',
      items: v.slice(0, 10_000).map((x) => convert(x, depth + 1)),
      truncated: false,
    }
  }
  if (isPlainObject(v)) return depth > 3 ? { t: 'str', v: '{…}' } : nestedValue(v, depth + 1)
  return { t: 'str', v: typeof v === 'bigint' ? v.toString() : '' }
}

function syntaxIssue(message: string, text: string): ImportIssue {
  // V8's messages: "Unexpected end of JSON input", "Unterminated string in JSON at position N",
  // "... in JSON at position N": an error at the very end means the file was cut.
  if (/end of JSON|Unterminated/i.test(message)) return issue('truncatedFile')
  const pos = /position (\d+)/.exec(message)
  if (pos && Number(pos[1]) >= text.trimEnd().length - 1) return issue('truncatedFile')
  return issue('malformed', { detail: message.slice(0, 120) })
}

/**
 * One pass before JSON.parse (caps checked before the expensive work, reliability.md §4): nesting
 * deeper than ConvertTo-Json can write is refused (V8 builds every level first: 0.15 s for a
 * million), and a top-level array is cut after `maxObjects + 1` items so that a 10 MB array is not
 * built only to be capped afterwards. Returns the text to parse, or the issue that refuses it.
 */
function bound(text: string): { text: string; cut: boolean } | ImportIssue {
  let depth = 0
  let items = 0
  const array = text.trimStart().startsWith('[')
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // Skip the string: to the next quote not escaped by an odd run of backslashes.
      let j = text.indexOf('"', i + 1)
      while (j > 0) {
        let k = j - 1
        while (text.charCodeAt(k) === 0x5c) k--
        if ((j - 1 - k) % 2 === 0) break
        j = text.indexOf('"', j + 1)
      }
      if (j < 0) break // unterminated: JSON.parse reports it
      i = j
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > LIMITS.maxJsonDepth) return issue('tooDeep', { limit: LIMITS.maxJsonDepth })
    } else if (c === 0x5d || c === 0x7d) depth--
    else if (c === 0x2c && depth === 1 && array && ++items > LIMITS.maxObjects) {
      return { text: text.slice(0, i) + ']', cut: true }
    }
  }
  return { text, cut: false }
}

/** ConvertTo-Json output: one object or an array; also the admin API's `{ "value": [...] }`. */
export function readJson(text: string): ReadOutcome {
  const bounded = bound(text)
  if ('code' in bounded) return failed(bounded)
  let root: unknown
  try {
    root = JSON.parse(bounded.text)
  } catch (e) {
    return failed(syntaxIssue(e instanceof Error ? e.message : String(e), text))
  }
  let items: unknown[]
  if (Array.isArray(root)) items = root
  else if (isPlainObject(root)) {
    const value = own(root, 'value')
    items = Array.isArray(value) && Object.keys(root).length <= 3 ? value : [root]
  } else return failed(issue('wrongObjectType', { count: 1 }))
  const errors: ImportIssue[] = []
  const warnings: ImportIssue[] = []
  const records: RawRecord[] = []
  let skipped = 0
  for (const item of items) {
    if (!isPlainObject(item)) {
      skipped++
      continue
    }
    if (records.length >= LIMITS.maxObjects) {
      errors.push(issue('tooManyObjects', { limit: LIMITS.maxObjects }))
      break
    }
    const props: (readonly [string, RawValue])[] = []
    for (const key of Object.keys(item).slice(0, LIMITS.maxPropsPerObject)) {
      props.push([key, convert(item[key], 1)])
    }
    records.push({ props, typeNames: [] })
  }
  if (bounded.cut && !errors.some((e) => e.code === 'tooManyObjects')) {
    errors.push(issue('tooManyObjects', { limit: LIMITS.maxObjects }))
  }
  if (skipped > 0) warnings.push(issue('skippedRecords', { count: skipped }))
  return { records, errors, warnings }
}
