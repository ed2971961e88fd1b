// Public entry points of the NDR parsing engine (issue 3). Pure and synchronous: the app calls it
// from a worker, the CLI from its own process. Nothing here throws: every failure is a typed error.

import { looksBinary, looksBinaryText } from './binary'
import { bytesToBinary } from './decode'
import { analyze, collect } from './extract'
import type { Collected } from './extract'
import { MAX_INPUT_BYTES, MAX_MESSAGES } from './limits'
import { looksLikeMbox, splitMbox } from './mbox'
import type { MessageNode, Source } from './mime'
import { expandMessage, looksLikeHeaderLine, walkMime } from './mime'
import { isCfb, msgToText } from './msg'
import type { BounceResult, ParseError, ParseOptions, ParseOutcome, ParseWarning } from './types'

export * from './types'
export * from './limits'
export { firstEnhancedStatus } from './extract'
export { extractHtmlBody, MAX_HTML_CHARS } from './html'
export { MboxSplitter, findFromLine, looksLikeMbox } from './mbox'
export { isCfb } from './msg'
export type { MsgReaderClass } from './msg'
export type { FromLineFinder, MboxItem } from './mbox'

const KNOWN_HEADERS = new Set([
  'from',
  'to',
  'subject',
  'date',
  'received',
  'message-id',
  'content-type',
  'mime-version',
  'return-path',
  'delivered-to',
  'x-failed-recipients',
  'auto-submitted',
  'x-ms-exchange-message-is-ndr',
  'sender',
  'reply-to',
])

function fail(code: ParseError['code'], params?: Record<string, string | number>): ParseOutcome {
  return { ok: false, error: params ? { code, params } : { code } }
}

function normalizeEol(s: string): string {
  return s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s
}

/** A message node holding the whole input as one text part: pastes and fragments. */
function textNode(src: Source, start: number): MessageNode {
  return {
    headers: [],
    ct: { type: 'text/plain', params: {} },
    leaves: [{ ct: { type: 'text/plain', params: {} }, headers: [], start, end: src.s.length }],
    attached: [],
    headersOnly: false,
    truncated: false,
    pending: undefined,
  }
}

type One = { ok: true; result: BounceResult } | { ok: false; error: ParseError }

function parseSource(src: Source): One {
  const s = src.s
  let start = 0
  while (start < s.length && (s[start] === '\n' || s[start] === ' ' || s[start] === '\t')) start++
  if (start >= s.length) return { ok: false, error: { code: 'empty' } }
  let root: MessageNode
  let fragment = false
  if (looksLikeHeaderLine(s, start) || s.startsWith('From ', start)) {
    const w = walkMime(src, start)
    if (!w.ok) return { ok: false, error: { code: w.code, params: limitParams(w.code) } }
    root = w.root
    if (!root.headers.some(([n]) => KNOWN_HEADERS.has(n))) {
      // "Final-Recipient: …" or "Status code: …" pasted alone look like headers but are not a message.
      root = textNode(src, start)
      fragment = true
    }
  } else {
    root = textNode(src, start)
    fragment = true
  }
  const first = analyzeNode(src, root, fragment, [])
  if (
    first.evidence ||
    first.result.kind !== 'not-ndr' ||
    first.result.notNdrReason !== 'ordinary'
  ) {
    return { ok: true, result: first.result }
  }
  // A bounce forwarded as an attachment: look into attached messages (breadth first, a few levels).
  const queue: Array<{ node: MessageNode; depth: number }> = root.attached.map((node) => ({
    node,
    depth: 1,
  }))
  for (let seen = 0; queue.length > 0 && seen < 16; seen++) {
    const { node, depth } = queue.shift()!
    if (node.headersOnly || !expandMessage(src, node)) continue
    const r = analyzeNode(src, node, false, [{ code: 'forwarded' }])
    if (r.evidence && r.result.kind !== 'not-ndr') return { ok: true, result: r.result }
    if (depth < 4) for (const a of node.attached) queue.push({ node: a, depth: depth + 1 })
  }
  return { ok: true, result: first.result }
}

function analyzeNode(
  src: Source,
  node: MessageNode,
  fragment: boolean,
  warnings: ParseWarning[],
): { result: BounceResult; evidence: boolean } {
  const c: Collected = collect(src, node)
  return analyze({ src, fragment }, node, c, warnings)
}

function limitParams(code: string): Record<string, number> {
  switch (code) {
    case 'tooManyParts':
      return { limit: 1000 }
    case 'tooDeep':
      return { limit: 32 }
    case 'headerTooLarge':
      return { limit: 1024 * 1024 }
    default:
      return {}
  }
}

function parseBytes(bytes: Uint8Array): One {
  return parseSource({ s: normalizeEol(bytesToBinary(bytes)), unicode: false })
}

function many(items: readonly One[]): ParseOutcome {
  const messages: BounceResult[] = []
  for (const it of items) {
    if (it.ok) messages.push(it.result)
    else if (items.length === 1) return { ok: false, error: it.error }
  }
  if (messages.length === 0) return fail(items[0]?.ok === false ? items[0].error.code : 'empty')
  return { ok: true, messages }
}

function parseInner(input: Uint8Array | string, opts: ParseOptions | undefined): ParseOutcome {
  if (typeof input === 'string') {
    if (input.length > MAX_INPUT_BYTES) return fail('tooLarge', { limit: MAX_INPUT_BYTES })
    if (input.trim() === '') return fail('empty')
    if (looksBinaryText(input)) return fail('binary')
    const s = normalizeEol(input)
    if (s.startsWith('From ') && s.includes('\n\nFrom ')) {
      const msgs = s.split(/\n\n(?=From )/)
      if (msgs.length > MAX_MESSAGES) return fail('tooManyMessages', { limit: MAX_MESSAGES })
      return many(
        msgs.filter((m) => m.trim() !== '').map((m) => parseSource({ s: m, unicode: true })),
      )
    }
    return many([parseSource({ s, unicode: true })])
  }
  if (!(input instanceof Uint8Array)) return fail('empty')
  if (input.length > MAX_INPUT_BYTES) return fail('tooLarge', { limit: MAX_INPUT_BYTES })
  if (input.length === 0) return fail('empty')
  if (isCfb(input)) {
    const text = opts?.msgReader ? msgToText(input, opts.msgReader) : undefined
    if (text === undefined) return fail('msgUnreadable')
    return many([parseSource({ s: text, unicode: true })])
  }
  // UTF-16 text files (Windows "Unicode" saves of a pasted NDR) start with a byte-order mark.
  if (
    input.length >= 2 &&
    ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff))
  ) {
    const text = new TextDecoder(input[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(input)
    return parseInner(text, opts)
  }
  if (looksBinary(input)) return fail('binary')
  if (looksLikeMbox(input)) {
    const msgs = splitMbox(input, MAX_MESSAGES)
    if (msgs === 'tooMany') return fail('tooManyMessages', { limit: MAX_MESSAGES })
    return many(msgs.map((m) => parseBytes(m)))
  }
  return many([parseBytes(input)])
}

/**
 * Parses a bounce: a raw message (.eml, DSN, Exchange layouts, forwarded bounces), an Outlook .msg,
 * an mbox (one result per message) or a partial paste. Never throws.
 */
export function parseBounce(input: Uint8Array | string, opts?: ParseOptions): ParseOutcome {
  try {
    return parseInner(input, opts)
  } catch {
    return fail('internal')
  }
}

/**
 * Parses one message already split out of an mbox (the CLI's streaming path). Never throws.
 * `binary`, when the caller has it, is the message as a binary string (one char per byte, e.g.
 * Node's latin1 decoding): it saves the decoding here. Bytes 0x80-0x9F may be either their Latin-1
 * or their windows-1252 chars; `byteOf` reads both back as the same byte. `ascii`: true only when
 * the caller has checked that every byte is below 0x80 (see Source.ascii); it spares the engine's
 * own scans.
 */
export function parseMessage(bytes: Uint8Array, binary?: string, ascii?: boolean): ParseOutcome {
  try {
    if (bytes.length > MAX_INPUT_BYTES) return fail('tooLarge', { limit: MAX_INPUT_BYTES })
    if (isCfb(bytes)) return parseInner(bytes, undefined)
    // Random or binary input is refused from its first 8 KB, before the whole is decoded (a
    // 10 MB binary file costs 0.2 ms this way, 270 ms when decoded first).
    if (looksBinary(bytes)) return parseInner(bytes, undefined) // UTF-16 with a BOM, or binary
    const s = binary !== undefined && binary.length === bytes.length ? binary : bytesToBinary(bytes)
    return many([parseSource({ s: normalizeEol(s), unicode: false, ascii: ascii === true })])
  } catch {
    return fail('internal')
  }
}
