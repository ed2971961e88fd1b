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

/** ConvertTo-Json output: one object or an array; also the admin API's `{ "value": [...] }`. */
export function readJson(text: string): ReadOutcome {
  let root: unknown
  try {
    root = JSON.parse(text)
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
  if (skipped > 0) warnings.push(issue('skippedRecords', { count: skipped }))
  return { records, errors, warnings }
}
