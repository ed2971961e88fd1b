import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { issue, LIMITS } from '../issues'
import type { ImportIssue } from '../types'
import type { RawRecord, RawValue } from '../values'
import { failed, type ReadOutcome } from './common'

type XNode = Record<string, unknown>

/** Export-Clixml never writes a DTD; any DOCTYPE or ENTITY is refused before parsing (reliability.md §4.3). */
export function hasDtd(text: string): boolean {
  return /<!\s*(?:DOCTYPE|ENTITY)/i.test(text)
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  maxNestedTags: LIMITS.maxXmlDepth,
})

function nameOf(node: XNode): string {
  for (const k of Object.keys(node)) if (k !== ':@') return k
  return ''
}

function childrenOf(node: XNode): XNode[] {
  const v = node[nameOf(node)]
  return Array.isArray(v) ? (v as XNode[]) : []
}

function attr(node: XNode, name: string): string | undefined {
  const a = node[':@']
  if (typeof a !== 'object' || a === null || !Object.hasOwn(a, name)) return undefined
  const v = (a as Record<string, unknown>)[name]
  return typeof v === 'string' ? v : undefined
}

function textOf(node: XNode): string {
  let out = ''
  for (const c of childrenOf(node)) {
    const t = c['#text']
    if (typeof t === 'string' || typeof t === 'number') out += String(t)
  }
  return out
}

/** CLIXML escapes characters as `_xHHHH_` (brief §3.9). */
export function decodeClixmlString(s: string): string {
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  )
}

const STRINGS = new Set(['S', 'C', 'URI', 'Version', 'G', 'TS', 'SBK', 'XD', 'BA', 'ToString'])
const NUMBERS = new Set(['I32', 'I64', 'U32', 'U64', 'I16', 'U16', 'By', 'SB', 'Db', 'D', 'Sg'])
const COLLECTIONS = new Set(['LST', 'IE', 'STK', 'QUE'])

interface Ctx {
  readonly refs: Map<string, RawValue>
  readonly types: Map<string, readonly string[]>
}

function primitive(node: XNode, name: string, ctx: Ctx, depth: number): RawValue | undefined {
  if (STRINGS.has(name)) return { t: 'str', v: decodeClixmlString(textOf(node)) }
  if (NUMBERS.has(name)) {
    const n = Number(textOf(node).trim())
    return Number.isFinite(n) ? { t: 'num', v: n } : { t: 'str', v: textOf(node) }
  }
  switch (name) {
    case 'B':
      return { t: 'bool', v: textOf(node).trim().toLowerCase() === 'true' }
    case 'DT': {
      const ms = Date.parse(textOf(node).trim())
      return Number.isNaN(ms) ? { t: 'str', v: textOf(node) } : { t: 'date', ms }
    }
    case 'Nil':
      return { t: 'null' }
    case 'SS':
      return { t: 'str', v: '' }
    case 'Ref':
      return ctx.refs.get(attr(node, 'RefId') ?? '') ?? { t: 'null' }
    case 'Obj':
      return objValue(node, ctx, depth + 1)
    default:
      return undefined
  }
}

function typeNames(node: XNode, ctx: Ctx): readonly string[] {
  for (const c of childrenOf(node)) {
    const n = nameOf(c)
    if (n === 'TN') {
      const names = childrenOf(c)
        .filter((t) => nameOf(t) === 'T')
        .map((t) => textOf(t).slice(0, 500))
      const id = attr(c, 'RefId')
      if (id !== undefined) ctx.types.set(id, names)
      return names
    }
    if (n === 'TNRef') return ctx.types.get(attr(c, 'RefId') ?? '') ?? []
  }
  return []
}

/** A property value that is itself an object: a collection, an enum, or a complex value. */
function objValue(node: XNode, ctx: Ctx, depth: number): RawValue {
  typeNames(node, ctx)
  let value: RawValue | undefined
  let toString: string | undefined
  let scalar: RawValue | undefined
  for (const c of childrenOf(node)) {
    const n = nameOf(c)
    if (COLLECTIONS.has(n)) {
      const items: RawValue[] = []
      for (const item of childrenOf(c)) {
        const v = primitive(item, nameOf(item), ctx, depth)
        if (v) items.push(v)
      }
      value = { t: 'list', items, truncated: false }
    } else if (n === 'DCT') {
      const items: RawValue[] = []
      for (const en of childrenOf(c)) {
        const parts = childrenOf(en).map((kv) => {
          const v = primitive(kv, nameOf(kv), ctx, depth)
          return v && v.t === 'str' ? v.v : ''
        })
        items.push({ t: 'str', v: parts.join('=') })
      }
      value = { t: 'list', items, truncated: false }
    } else if (n === 'ToString') toString = decodeClixmlString(textOf(c))
    else if (n !== 'TN' && n !== 'TNRef' && n !== 'Props' && n !== 'MS' && n !== '#text') {
      scalar ??= primitive(c, n, ctx, depth)
    }
  }
  // Enums: the name from <ToString>, the <I32> only as a fallback (brief §3.9).
  const out: RawValue =
    value ?? (toString !== undefined ? { t: 'str', v: toString } : (scalar ?? { t: 'null' }))
  const id = attr(node, 'RefId')
  if (id !== undefined) ctx.refs.set(id, out)
  return out
}

function readObject(node: XNode, ctx: Ctx): RawRecord {
  const types = typeNames(node, ctx)
  const props: (readonly [string, RawValue])[] = []
  for (const c of childrenOf(node)) {
    const n = nameOf(c)
    // Adapted <Props> and extended <MS> members both carry properties (brief §3.9: read both).
    if (n !== 'Props' && n !== 'MS') continue
    for (const p of childrenOf(c)) {
      const name = attr(p, 'N')
      if (name === undefined || props.length >= LIMITS.maxPropsPerObject) continue
      const v = primitive(p, nameOf(p), ctx, 1)
      if (v) props.push([decodeClixmlString(name), v])
    }
  }
  const id = attr(node, 'RefId')
  if (id !== undefined) {
    const nameProp = props.find(([k]) => k === 'Name')
    ctx.refs.set(id, nameProp ? nameProp[1] : { t: 'null' })
  }
  return { props, typeNames: types }
}

/**
 * One pass over the markup before the validator and parser see it (reliability.md §4.3: "set
 * maxNestedTags"; the parser's own limit fires only after its validator has walked the whole input,
 * 0.2 s for 100,000 levels). Nesting, the longest text node or tag, and the number of character and
 * entity references are bounded here; the scan is approximate (CDATA and comments are taken as
 * markup) but Export-Clixml writes neither.
 */
function checkShape(text: string): ImportIssue | undefined {
  let depth = 0
  let textStart = 0
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    if (i - textStart > LIMITS.maxValueChars) {
      return issue('valueTooLong', { limit: LIMITS.maxValueChars })
    }
    const end = text.indexOf('>', i + 1)
    if (end < 0) break // cut off: the validator says so
    if (end - i > LIMITS.maxValueChars) {
      return issue('valueTooLong', { limit: LIMITS.maxValueChars })
    }
    // </x> closes an element; <!…>, <?…?> and <x/> neither open nor close one; the rest open one.
    const c = text.charCodeAt(i + 1)
    if (c === 0x2f) depth--
    else if (c !== 0x21 && c !== 0x3f && text.charCodeAt(end - 1) !== 0x2f) {
      if (++depth > LIMITS.maxXmlDepth) return issue('tooDeep', { limit: LIMITS.maxXmlDepth })
    }
    textStart = end + 1
    i = end
  }
  if (text.length - textStart > LIMITS.maxValueChars) {
    return issue('valueTooLong', { limit: LIMITS.maxValueChars })
  }
  let refs = 0
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (++refs > LIMITS.maxXmlReferences) {
      return issue('tooManyReferences', { limit: LIMITS.maxXmlReferences })
    }
  }
  return undefined
}

/** Export-Clixml output (brief §3.9), hardened per reliability.md §4.3. */
export function readClixml(text: string): ReadOutcome {
  if (hasDtd(text)) return failed(issue('xmlDoctype'))
  let elements = 0
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    if (++elements > LIMITS.maxXmlElements) {
      return failed(issue('tooManyElements', { limit: LIMITS.maxXmlElements }))
    }
  }
  const shape = checkShape(text)
  if (shape) return failed(shape)
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    if (!/<\/\s*Objs\s*>\s*$/.test(text)) return failed(issue('truncatedFile'))
    return failed(issue('malformed', { detail: valid.err.msg.slice(0, 120) }))
  }
  let doc: unknown
  try {
    doc = parser.parse(text)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    if (/nest/i.test(msg)) return failed(issue('tooDeep', { limit: LIMITS.maxXmlDepth }))
    return failed(issue('malformed', { detail: msg.slice(0, 120) }))
  }
  const top = Array.isArray(doc) ? (doc as XNode[]) : []
  const root = top.find((n) => nameOf(n) === 'Objs')
  if (!root) return failed(issue('unknownFormat'))
  const ctx: Ctx = { refs: new Map(), types: new Map() }
  const records: RawRecord[] = []
  const errors: ImportIssue[] = []
  for (const node of childrenOf(root)) {
    if (nameOf(node) !== 'Obj') continue
    if (records.length >= LIMITS.maxObjects) {
      errors.push(issue('tooManyObjects', { limit: LIMITS.maxObjects }))
      break
    }
    records.push(readObject(node, ctx))
  }
  return { records, errors, warnings: [] }
}
