// A small, capped MIME walker (RFC 2045/2046/5322) over a line-ending-normalised string: one char per
// byte (latin1 "binary string") for byte input, or ordinary Unicode text for pastes. It records the
// tree's shape and offsets only; bodies are decoded later, and only for the parts the engine reads.

import { MAX_DEPTH, MAX_HEADER_BYTES, MAX_PART_DECODE_BYTES, MAX_PARTS } from './limits'
import {
  asciiDecodesAsIs,
  binaryToBytes,
  decodeBase64,
  decodeBytes,
  decodeEncodedWords,
  decodeQuotedPrintable,
  decodeQuotedPrintableAscii,
  isAsciiRange,
  plainSlice,
  trimmedSlice,
} from './decode'

export interface Source {
  /** LF-only text; one char per byte unless `unicode`. */
  readonly s: string
  /** True when the input was a JS string (a paste): 8-bit text is already decoded. */
  readonly unicode: boolean
  /**
   * True when the caller knows every char of `s` is ASCII (the CLI asks Node's native isAscii,
   * which costs ~2 ms for a 41 MB mbox): the engine's own ASCII scans of its parts are skipped.
   * Absent or false: unknown, the parts are scanned.
   */
  readonly ascii?: boolean
}

/**
 * The header fields the engine reads, lower-case. parseHeaderBlock keeps these and skips every other
 * field unread (no name or value string is made for it): a returned Office 365 bounce carries ~100
 * fields, most of them X-MS-Exchange-* and anti-spam stamps, and building strings for all of them
 * was a fifth of what the parser allocated (session 3, heap sampling on the benchmark's mbox). A
 * field read anywhere must be listed here: `header()` and its siblings take only these names, so
 * TypeScript refuses any other.
 */
export const HEADER_NAMES = [
  // the message and its sender (KNOWN_HEADERS in index.ts: these make a paste "a message")
  'from',
  'to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'return-path',
  'delivered-to',
  'sender',
  'reply-to',
  // MIME structure
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-language',
  // which system reported, and what the message is
  'received',
  'x-mailer',
  'x-failed-recipients',
  'x-ms-exchange-message-is-ndr',
  'x-ms-embedded-report',
  'x-hmxmroriginalrecipient',
  'auto-submitted',
  'precedence',
  'x-autoreply',
  'x-autorespond',
  'x-auto-response',
  // authentication verdicts of the returned original
  'authentication-results',
  'arc-authentication-results',
  'received-spf',
] as const
export type HeaderName = (typeof HEADER_NAMES)[number]

/** Unfolded header fields in order, only those of HEADER_NAMES; names lower-cased. */
export type Headers = ReadonlyArray<readonly [name: HeaderName, value: string]>

/** HEADER_NAMES by first letter and length: slot ((c0 - 97) << 5) + length. */
const NAME_SLOTS: Array<HeaderName[] | undefined> = []
for (const n of HEADER_NAMES) {
  const slot = ((n.charCodeAt(0) - 97) << 5) + n.length
  ;(NAME_SLOTS[slot] ??= []).push(n)
}

/**
 * The listed name that s[pos, pos + len) spells in any case, or undefined. No string is made: an
 * OR with 0x20 lower-cases ASCII letters and leaves the digits and '-' of the listed names as they
 * are (header name chars are printable ASCII, so no other char can turn into one of them).
 */
function listedName(s: string, pos: number, len: number): HeaderName | undefined {
  if (len >= 32) return undefined
  const c0 = s.charCodeAt(pos) | 0x20
  if (c0 < 97 || c0 > 122) return undefined
  const cands = NAME_SLOTS[((c0 - 97) << 5) + len]
  if (cands === undefined) return undefined
  for (let k = 0; k < cands.length; k++) {
    const n = cands[k]!
    let j = 1
    while (j < len && (s.charCodeAt(pos + j) | 0x20) === n.charCodeAt(j)) j++
    if (j === len) return n
  }
  return undefined
}

// Indexed loops rather than `for (const [n, v] of h)` or `h.some(([n]) => …)`: these run for every
// field of every header block, and destructuring each pair was a visible share of the parse time.

export function header(h: Headers, name: HeaderName): string | undefined {
  for (let i = 0; i < h.length; i++) {
    const f = h[i]!
    if (f[0] === name) return f[1]
  }
  return undefined
}

export function headersAll(h: Headers, name: HeaderName): string[] {
  const out: string[] = []
  for (let i = 0; i < h.length; i++) {
    const f = h[i]!
    if (f[0] === name) out.push(f[1])
  }
  return out
}

/** Whether the block has a field of that (lower-case) name. */
export function hasHeader(h: Headers, name: HeaderName): boolean {
  for (let i = 0; i < h.length; i++) if (h[i]![0] === name) return true
  return false
}

function isHeaderNameChar(c: number): boolean {
  // RFC 5322 ftext: printable US-ASCII except ':'; we also refuse space (a prose line is not a header).
  return c > 32 && c < 127 && c !== 58
}

/** Whether the text at `start` begins with something shaped like a header field. */
export function looksLikeHeaderLine(s: string, start: number): boolean {
  return headerColon(s, start) >= 0
}

/** The offset of the colon if the text at `start` begins like a header field ("Name:"), else -1. */
function headerColon(s: string, start: number): number {
  let i = start
  const lim = Math.min(s.length, start + 80)
  while (i < lim && isHeaderNameChar(s.charCodeAt(i))) i++
  return i > start && i < lim && s.charCodeAt(i) === 58 ? i : -1
}

export interface HeaderBlock {
  /** The fields of HEADER_NAMES, in order. */
  readonly headers: Headers
  /** How many fields the block has, listed or not. */
  readonly fields: number
  /** Offset of the body (after the blank line), or `end` when there is none. */
  readonly bodyStart: number
  readonly tooLarge: boolean
}

/**
 * Parses the header block starting at `start` (up to the first empty line or `end`). Stops at the first
 * line that is neither a field nor a continuation: what follows is treated as body. Keeps the fields
 * of HEADER_NAMES; the others are counted and skipped, continuation lines included.
 */
export function parseHeaderBlock(
  src: Source,
  start: number,
  end: number,
  maxBytes = MAX_HEADER_BYTES,
): HeaderBlock {
  const s = src.s
  const fields: [HeaderName, string][] = []
  let count = 0
  let pos = start
  let curName: HeaderName | undefined
  let curVal = ''
  /** In a field that is not kept: its continuation lines are skipped too. */
  let skipping = false
  while (pos < end) {
    if (pos - start > maxBytes)
      return { headers: fields, fields: count, bodyStart: end, tooLarge: true }
    let nl = s.indexOf('\n', pos)
    if (nl < 0 || nl > end) nl = end
    if (nl === pos) {
      if (curName) fields.push([curName, curVal])
      return { headers: fields, fields: count, bodyStart: Math.min(nl + 1, end), tooLarge: false }
    }
    const c = s.charCodeAt(pos)
    if ((c === 32 || c === 9) && (curName || skipping)) {
      if (curName && curVal.length < maxBytes) curVal += ' ' + trimmedSlice(s, pos, nl)
      pos = nl + 1
      continue
    }
    const colon = headerColon(s, pos)
    if (colon >= 0) {
      if (curName) fields.push([curName, curVal])
      count++
      curName = listedName(s, pos, colon - pos)
      skipping = curName === undefined
      curVal = curName ? trimmedSlice(s, colon + 1, nl) : ''
    } else if (!(pos === start && s.startsWith('From ', pos))) {
      // Neither a field nor a continuation: the body starts here. (An mbox "From " separator line
      // left at the top of a message is skipped.)
      if (curName) fields.push([curName, curVal])
      return { headers: fields, fields: count, bodyStart: pos, tooLarge: false }
    }
    pos = nl + 1
  }
  if (curName) fields.push([curName, curVal])
  return { headers: fields, fields: count, bodyStart: end, tooLarge: false }
}

export interface ContentType {
  readonly type: string
  readonly params: Readonly<Record<string, string>>
}

/** Parses `type/subtype; a=b; c="d"` without regular expressions. */
export function parseContentType(value: string | undefined, dflt = 'text/plain'): ContentType {
  if (!value) return { type: dflt, params: {} }
  const v = value.length > 4096 ? value.slice(0, 4096) : value
  const semi = v.indexOf(';')
  const type = (semi < 0 ? v : v.slice(0, semi)).trim().toLowerCase()
  // A plain object (V8 keeps it compact, unlike a null-prototype one, which is a hash table). Only
  // named parameters are ever read (charset, boundary, report-type), never inherited names; the
  // duplicate test below uses Object.hasOwn for the same reason.
  const params: Record<string, string> = {}
  let i = semi < 0 ? v.length : semi + 1
  while (i < v.length) {
    while (i < v.length && (v[i] === ' ' || v[i] === ';' || v[i] === '\t')) i++
    const eq = v.indexOf('=', i)
    if (eq < 0) break
    const name = v.slice(i, eq).trim().toLowerCase()
    i = eq + 1
    while (i < v.length && v[i] === ' ') i++
    let val = ''
    if (v[i] === '"') {
      i++
      const close = v.indexOf('"', i)
      const stop = close < 0 ? v.length : close
      // Without a quoted-pair the value is the text up to the closing quote. (Searched within the
      // value only: a search to the end of the header for every parameter would be quadratic.)
      const quoted = v.slice(i, stop)
      if (!quoted.includes('\\')) {
        val = quoted
        i = stop
      } else {
        while (i < v.length && v[i] !== '"') {
          if (v[i] === '\\' && i + 1 < v.length) i++
          val += v[i]
          i++
        }
      }
      i++
    } else {
      const next = v.indexOf(';', i)
      const stop = next < 0 ? v.length : next
      val = v.slice(i, stop).trim()
      i = stop
    }
    if (name && !Object.hasOwn(params, name)) params[name] = val
  }
  return { type: type.includes('/') ? type : dflt, params }
}

export interface Leaf {
  readonly ct: ContentType
  readonly headers: Headers
  readonly start: number
  readonly end: number
}

export interface MessageNode {
  readonly headers: Headers
  readonly ct: ContentType
  /** Leaves that belong to this message (not to messages attached to it). */
  readonly leaves: Leaf[]
  /** Attached messages (message/rfc822, text/rfc822-headers), in order. */
  readonly attached: MessageNode[]
  /** True for text/rfc822-headers: only the header block was returned. */
  readonly headersOnly: boolean
  /** The multipart close delimiter was missing: the message was probably cut. */
  truncated: boolean
  /**
   * An attached message's body, not walked yet: `leaves` and `attached` stay empty until
   * expandMessage walks it. Only its own header block is read eagerly (the bounce reads the
   * original's headers, rarely its body).
   */
  pending?: { readonly start: number; readonly end: number; readonly depth: number } | undefined
}

export type WalkResult =
  | { readonly ok: true; readonly root: MessageNode; readonly parts: number }
  | { readonly ok: false; readonly code: 'tooManyParts' | 'tooDeep' | 'headerTooLarge' }

interface Task {
  readonly start: number
  readonly end: number
  readonly depth: number
  readonly owner: MessageNode | null
  /** Kind of entity at [start, end): a whole message, or a MIME body part with its own headers. */
  readonly entity: 'message' | 'part' | 'headers-only'
  readonly defaultType: string
}

/**
 * Walks the MIME tree iteratively (no recursion, so depth cannot overflow the stack), counting parts
 * and depth against the caps before touching any body. Attached messages (message/rfc822) get their
 * header block only; their bodies are walked on demand (expandMessage), with the caps applied then.
 * Session 3 measured this: the bodies of returned originals were a fifth of the parts walked in the
 * benchmark's Office 365 bounces, and the engine reads none of them unless the bounce was forwarded.
 */
export function walkMime(src: Source, start = 0, end = src.s.length): WalkResult {
  const stack: Task[] = [
    { start, end, depth: 0, owner: null, entity: 'message', defaultType: 'text/plain' },
  ]
  return walkTasks(src, stack, null)
}

/**
 * Walks the body of an attached message left pending by walkMime (a forwarded bounce is analysed
 * from it). False when the body breaks a cap: the node then keeps no leaves and no attachments.
 */
export function expandMessage(src: Source, node: MessageNode): boolean {
  const p = node.pending
  if (p === undefined) return true
  node.pending = undefined
  const stack: Task[] = []
  const r =
    descend(src, stack, node, node.ct, node.headers, p.start, p.end, p.depth) ??
    walkTasks(src, stack, node)
  if (r.ok) return true
  node.leaves.length = 0
  node.attached.length = 0
  return false
}

type Failure = Extract<WalkResult, { ok: false }>

function walkTasks(src: Source, stack: Task[], root: MessageNode | null): WalkResult {
  let parts = 0
  while (stack.length > 0) {
    const t = stack.pop()!
    if (t.depth > MAX_DEPTH) return { ok: false, code: 'tooDeep' }
    if (++parts > MAX_PARTS) return { ok: false, code: 'tooManyParts' }
    const hb = parseHeaderBlock(src, t.start, t.end)
    if (hb.tooLarge) {
      if (t.owner === null) return { ok: false, code: 'headerTooLarge' }
      continue
    }
    const ct = parseContentType(header(hb.headers, 'content-type'), t.defaultType)
    let owner = t.owner
    if (t.entity !== 'part') {
      const node: MessageNode = {
        headers: hb.headers,
        ct,
        leaves: [],
        attached: [],
        headersOnly: t.entity === 'headers-only',
        truncated: false,
        // Present on every node, so that all nodes share one shape (set below for attached ones).
        pending: undefined,
      }
      if (owner) {
        owner.attached.push(node)
        // An attached message: its body waits for expandMessage.
        if (t.entity === 'message')
          node.pending = { start: hb.bodyStart, end: t.end, depth: t.depth }
        continue
      }
      root = node
      owner = node
      if (t.entity === 'headers-only') continue
    }
    if (!owner) continue
    const failed = descend(src, stack, owner, ct, hb.headers, hb.bodyStart, t.end, t.depth)
    if (failed) return failed
  }
  if (!root) return { ok: false, code: 'tooDeep' }
  return { ok: true, root, parts }
}

/**
 * The body [bodyStart, end) of an entity of type `ct` that belongs to `owner`: a multipart's parts
 * and an attached message are pushed as tasks, anything else is a leaf.
 */
function descend(
  src: Source,
  stack: Task[],
  owner: MessageNode,
  ct: ContentType,
  headers: Headers,
  bodyStart: number,
  end: number,
  depth: number,
): Failure | undefined {
  const type = ct.type
  if (type.startsWith('multipart/')) {
    const boundary = ct.params['boundary']
    if (!boundary || boundary.length > 200) {
      owner.leaves.push({ ct: { type: 'text/plain', params: {} }, headers, start: bodyStart, end })
      return undefined
    }
    const childDefault = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain'
    const children = splitMultipart(src.s, bodyStart, end, boundary)
    if (children.truncated) owner.truncated = true
    if (children.bounds.length > MAX_PARTS) return { ok: false, code: 'tooManyParts' }
    if (children.bounds.length === 0) {
      // No delimiter at all (RFC 3464 sample rfc3464-06 in the corpus): read the body as text.
      owner.leaves.push({
        ct: { type: 'text/plain', params: {} },
        headers: [],
        start: bodyStart,
        end,
      })
      return undefined
    }
    // push in reverse so that parts are visited in document order
    for (let i = children.bounds.length - 1; i >= 0; i--) {
      const [cs, ce] = children.bounds[i]!
      stack.push({
        start: cs,
        end: ce,
        depth: depth + 1,
        owner,
        entity: 'part',
        defaultType: childDefault,
      })
    }
    return undefined
  }
  if (type === 'message/rfc822' || type === 'message/global' || type === 'message/partial') {
    const cte = (header(headers, 'content-transfer-encoding') ?? '').toLowerCase()
    if (cte.includes('base64') || cte.includes('quoted')) {
      // An encoded attached message is rare in bounces; keep it as an opaque leaf.
      owner.leaves.push({ ct, headers, start: bodyStart, end })
      return undefined
    }
    stack.push({
      start: bodyStart,
      end,
      depth: depth + 1,
      owner,
      entity: 'message',
      defaultType: 'text/plain',
    })
    return undefined
  }
  if (type === 'text/rfc822-headers' || type === 'message/global-headers') {
    stack.push({
      start: bodyStart,
      end,
      depth: depth + 1,
      owner,
      entity: 'headers-only',
      defaultType: 'text/plain',
    })
    return undefined
  }
  owner.leaves.push({ ct, headers, start: bodyStart, end })
  return undefined
}

interface Split {
  readonly bounds: Array<readonly [number, number]>
  readonly truncated: boolean
}

/** Finds the body parts between `--boundary` lines (RFC 2046 §5.1.1) with indexOf only. */
function splitMultipart(s: string, start: number, end: number, boundary: string): Split {
  const delim = '--' + boundary
  const lineDelim = '\n' + delim
  const bounds: Array<readonly [number, number]> = []
  let partStart = -1
  let pos = start
  let closed = false
  // First delimiter may sit right at the start of the body.
  let at = s.startsWith(delim, start) ? start : s.indexOf(lineDelim, start)
  if (at >= 0 && at !== start) at += 1
  while (at >= 0 && at < end) {
    const after = at + delim.length
    if (partStart >= 0) bounds.push([partStart, Math.max(partStart, at - 1)])
    if (bounds.length > MAX_PARTS) break
    if (s.startsWith('--', after)) {
      closed = true
      break
    }
    const nl = s.indexOf('\n', after)
    if (nl < 0 || nl >= end) {
      partStart = -1
      break
    }
    partStart = nl + 1
    pos = partStart
    at = s.indexOf(lineDelim, pos - 1)
    if (at >= 0) at += 1
  }
  if (!closed && partStart >= 0 && partStart < end) bounds.push([partStart, end])
  return { bounds, truncated: !closed }
}

export interface DecodedPart {
  readonly text: string
  readonly charsetUnknown: boolean
  readonly capped: boolean
  /** True when the text is known to be all ASCII (it took an ASCII path); false when unknown. */
  readonly ascii: boolean
}

/** Decodes one leaf's body to text (transfer encoding, then charset), capped. */
export function decodeLeaf(src: Source, leaf: Leaf, maxBytes = MAX_PART_DECODE_BYTES): DecodedPart {
  const s = src.s
  const capped = leaf.end - leaf.start > maxBytes
  const end = capped ? leaf.start + maxBytes : leaf.end
  const cte = (header(leaf.headers, 'content-transfer-encoding') ?? '').trim().toLowerCase()
  const charset = leaf.ct.params['charset']
  // ASCII text in an ASCII-compatible charset (most bounces) is its own decoding: no byte array.
  // Not when the source holds chars above U+00FF: its pieces would keep two bytes per char, which
  // makes every later lower-casing and search several times slower than on the decoder's output.
  const asIs = asciiDecodesAsIs(charset) && isNarrow(src)
  let bytes: Uint8Array | null = null
  if (cte === 'base64') bytes = decodeBase64(s, leaf.start, end)
  else if (cte === 'quoted-printable') {
    const ascii = asIs ? decodeQuotedPrintableAscii(s, leaf.start, end, src.ascii) : undefined
    if (ascii !== undefined)
      return { text: normaliseEol(ascii), charsetUnknown: false, capped, ascii: true }
    bytes = decodeQuotedPrintable(s, leaf.start, end)
  }
  if (bytes === null) {
    if (src.unicode)
      return { text: s.slice(leaf.start, end), charsetUnknown: false, capped, ascii: false }
    // A 7bit/8bit body of ASCII bytes: the binary string already is the text.
    if (asIs && (src.ascii === true || isAsciiRange(s, leaf.start, end)))
      return {
        text: normaliseEol(plainSlice(s, leaf.start, end)),
        charsetUnknown: false,
        capped,
        ascii: true,
      }
    bytes = binaryToBytes(s, leaf.start, end)
  }
  const d = decodeBytes(bytes, charset)
  return { text: normaliseEol(d.text), charsetUnknown: d.charsetUnknown, capped, ascii: false }
}

/** Sources known to hold no char above U+00FF (or to hold one); each is scanned once. */
const NARROW = new WeakMap<Source, boolean>()

/**
 * No char above U+00FF in the source: instant on a string V8 stores one byte per char (the usual
 * case), one scan otherwise, remembered for the source's other parts.
 */
function isNarrow(src: Source): boolean {
  let narrow = NARROW.get(src)
  if (narrow === undefined) {
    narrow = !/[\u0100-\uffff]/.test(src.s)
    NARROW.set(src, narrow)
  }
  return narrow
}

/** Decoded text may contain CRLF again (base64 of Windows text): normalise like the source. */
function normaliseEol(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
}

/** A header value with RFC 2047 words decoded. */
export function headerText(src: Source, h: Headers, name: HeaderName): string | undefined {
  const v = header(h, name)
  return v === undefined ? undefined : decodeEncodedWords(v, src.unicode)
}
