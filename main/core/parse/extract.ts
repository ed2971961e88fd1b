// Finding the facts in one message: the machine-readable report (RFC 3464) first, then the
// human-readable text in any of the layouts of domain brief §2.2/§2.6, then partial pastes.
// Every regular expression here runs on one line capped at MAX_LINE_CHARS (reliability.md §4.6).

import { categorize } from './category'
import { anyOf } from './needles'
import { decodeEncodedWords, decodeRaw8bit, isAsciiRange, plainSlice, untilSpace } from './decode'
import {
  MAX_FIELD_CHARS,
  MAX_LINE_CHARS,
  MAX_LINES,
  MAX_RECIPIENTS,
  MAX_TEXT_CHARS,
} from './limits'
import type { Headers, MessageNode, Source } from './mime'
import { decodeLeaf, hasHeader, header, headersAll, headerText, parseHeaderBlock } from './mime'
import type {
  AuthVerdicts,
  BounceKind,
  BounceLayout,
  BounceResult,
  BounceSystem,
  Category,
  NotNdrReason,
  ParseWarning,
  RecipientResult,
  Verdict,
} from './types'

// Enhanced status code (RFC 3463; detail may have three digits, domain brief §1.0). The look-arounds
// keep IP addresses (192.0.2.153) and version numbers (15.1.112.19) out.
const ENH = /(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?!\w|\.\d)/
// Reply code then enhanced code: `550 5.1.1`, `550-5.1.1`, `550;5.7.711`, `#550 4.4.7`, `550 550 5.7.1`.
const REPLY_ENH =
  /(?<![\w.])([245]\d\d)[ ;-]{1,3}(?:[245]\d\d[ ;-]{1,3})?([245]\.\d{1,3}\.\d{1,3})(?!\w|\.\d)/
// A response that starts with a reply code and no enhanced code: `554 Transaction failed`.
const LEADING_REPLY = /^([245]\d\d)(?:[ -]|$)/
const ADDR_G = /[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10}/g
const ADDR_ONLY = /^[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10}$/

/**
 * A result built in one object literal with every field, an absent optional one undefined. V8
 * gives objects created with the same keys in the same order one hidden class; a result whose
 * optional fields were added only when present took one of many shapes, which made every
 * reader of results (the result builder itself, jsonBody, the API) polymorphic. Session 4, the
 * 5,040-message mbox, alternating runs: first pass 8-26 ms faster in four comparisons, the CLI
 * 0.48 → 0.47 s. Readers see the same data: JSON drops undefined fields, and a field is read as
 * absent either way (nothing enumerates a result's keys).
 */
type Filled<T> = { -readonly [K in keyof T]-?: T[K] | undefined }

// Patterns used in loops or for every message, made once (a literal in a function body is a new
// object each time it runs).
const AUTO_REPLY_SUBJECT =
  /^(?:automatic reply|auto(?:matic)?[ -]?(?:reply|response)|out of (?:the )?office|réponse automatique|risposta automatica|abwesenheitsnotiz|自動応答|自動返信|自動回覆|自动回复)/i
const COMPLAINT_SUBJECT = /^complaint about message from/i
const INLINE_DSN_RECIPIENT = /^(?:final-recipient|original-recipient):/im
const INLINE_DSN_STATUS = /^status:\s*[245]\./im
const INLINE_DSN_REPORTER = /^reporting-mta:/im
const SMTP_MAILFROM = /smtp\.mailfrom=(?:"?[^\s;"@]{0,256}@)?([a-z0-9.-]{1,253})/i
const BY_HOST = /\bby\s+([a-z0-9.-]{1,253})/i
const BRACKETED_IP = /\[(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})\]/i
const PARENTHESISED_IP = /\((\d{1,3}(?:\.\d{1,3}){3})\)/
const LEADING_JUNK = /^[\s#(<'"]+/
const ADDRESS_ALONE = /^\s*<?[\w.+-]+@[\w.-]+>?:?\s*$/
const RETURNED_HEADER = /^(received|return-path): /i
const HAS_CODE = /[245]\d\d|[245]\.\d/
const INDENTED = /^\s{2,}\S/
const ENH_START = /[245]\.\d{1,3}\.\d/
const REPLY_503 = /^503\b/
const LEADING_HASH = /^[#(]+/
const EXO_SERVERS = /(?:\.prod\.outlook\.com|\.protection\.outlook\.com|\.prod\.exchangelabs\.com)/
const CONSUMER_FROM = /\b(?:hotmail|outlook|live|msn)\.[a-z.]+/
const CONSUMER_MTA = /hotmail|\.outlook\.com/
const GENERIC_STATUS = /\.0\.0$/
const COMPONENT = /\b((?:RESOLVER|STOREDRV|QUEUE|SMTPSEND|APPROVAL|ROUTING)\.[\w.]{2,80})/
const AS_TAG = /\bAS\(?(\d{3,12})\)?/

function clip(s: string | undefined, max = MAX_FIELD_CHARS): string | undefined {
  if (s === undefined) return undefined
  const t = s.trim()
  if (!t) return undefined
  return t.length > max ? t.slice(0, max) : t
}

function cleanAddress(a: string | undefined): string | undefined {
  if (!a) return undefined
  let v = a.trim()
  const semi = v.indexOf(';')
  if (semi >= 0 && semi < 12) v = v.slice(semi + 1).trim() // rfc822;addr
  const lt = v.indexOf('<')
  if (lt >= 0) {
    const gt = v.indexOf('>', lt)
    v = v.slice(lt + 1, gt < 0 ? undefined : gt)
  }
  v = stripQuotes(v.trim())
  if (v.length > 320) return undefined
  ADDR_G.lastIndex = 0
  const m = ADDR_G.exec(v)
  ADDR_G.lastIndex = 0
  if (!m) return undefined
  return m[0].endsWith('.') ? m[0].slice(0, -1) : m[0]
}

function isQuote(c: number): boolean {
  return c === 34 || c === 39
}

/** Drops one leading and one trailing quote mark, as .replace(/^["']|["']$/g, '') does. */
function stripQuotes(v: string): string {
  const start = isQuote(v.charCodeAt(0)) ? 1 : 0
  const end = v.length > start && isQuote(v.charCodeAt(v.length - 1)) ? v.length - 1 : v.length
  return start === 0 && end === v.length ? v : v.slice(start, end)
}

/** /^[\w-]+$/ without a regular expression call (names are a few chars). */
function isToken(s: string): boolean {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const ok =
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45
    if (!ok) return false
  }
  return true
}

function domainOf(addr: string | undefined): string | undefined {
  if (!addr) return undefined
  const at = addr.lastIndexOf('@')
  return at >= 0 ? addr.slice(at + 1).toLowerCase() : undefined
}

/** Strips `dns;`, `smtp;`, `rfc822;` type prefixes of RFC 3464 fields. */
function stripType(v: string | undefined): string | undefined {
  if (v === undefined) return undefined
  const semi = v.indexOf(';')
  if (semi > 0 && semi < 16 && isToken(v.slice(0, semi).trim())) return v.slice(semi + 1).trim()
  return v.trim()
}

/** Always the same three fields (one hidden class for every diagnostic: see Filled below). */
interface CodeInfo {
  readonly status: string | undefined
  readonly replyCode: string | undefined
  readonly others: string[]
}

/** Reads the codes in one diagnostic text; `A -> B` (5.1.351, 5.7.367) keeps B's code as secondary. */
export function codesIn(text: string): CodeInfo {
  const t = text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS) : text
  const arrow = t.indexOf(' -> ')
  const head = arrow >= 0 ? t.slice(0, arrow) : t
  const tail = arrow >= 0 ? t.slice(arrow + 4) : ''
  const others: string[] = []
  let status: string | undefined
  let replyCode: string | undefined
  const re = REPLY_ENH.exec(head)
  if (re) {
    replyCode = re[1]
    status = re[2]
  } else {
    const e = ENH.exec(head)
    if (e) status = e[0]
    const lr = LEADING_REPLY.exec(head.replace(LEADING_JUNK, ''))
    if (lr) replyCode = lr[1]
  }
  if (tail) {
    const te = ENH.exec(tail)
    if (te) {
      if (!status) status = te[0]
      else if (te[0] !== status) others.push(te[0])
    }
    if (!replyCode) {
      const lr = LEADING_REPLY.exec(tail.trim())
      if (lr) replyCode = lr[1]
    }
  }
  return {
    status: status ? status : undefined,
    replyCode: replyCode ? replyCode : undefined,
    others,
  }
}

/** First enhanced status code in a text (cheap: one bounded regex per line). */
export function firstEnhancedStatus(text: string): string | undefined {
  if (typeof text !== 'string') return undefined
  let pos = 0
  const lim = Math.min(text.length, MAX_TEXT_CHARS)
  while (pos < lim) {
    let nl = text.indexOf('\n', pos)
    if (nl < 0 || nl > lim) nl = lim
    const line = text.slice(pos, Math.min(nl, pos + MAX_LINE_CHARS))
    const m = ENH.exec(line)
    if (m) return m[0]
    pos = nl + 1
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// RFC 3464 delivery-status fields

interface DsnRecipient {
  readonly fields: Map<string, string>
}

interface Dsn {
  readonly message: Map<string, string>
  readonly recipients: DsnRecipient[]
}

/** The fields of one group (a paragraph) of a delivery-status body, read line by line. */
class FieldGroup {
  readonly fields = new Map<string, string>()
  private cur = ''

  add(raw: string): void {
    const m = this.fields
    const line = raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw
    if ((line.startsWith(' ') || line.startsWith('\t')) && this.cur) {
      const prev = m.get(this.cur) ?? ''
      if (prev.length < MAX_LINE_CHARS) m.set(this.cur, prev + ' ' + line.trim())
      return
    }
    const colon = line.indexOf(':')
    if (colon <= 0 || colon > 60) return
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!isToken(name)) return
    this.cur = name
    if (!m.has(name)) m.set(name, line.slice(colon + 1).trim())
  }
}

/** Parses the per-message and per-recipient groups of a delivery-status body (RFC 3464 §2). */
export function parseDsn(text: string): Dsn {
  const message = new Map<string, string>()
  const recipients: DsnRecipient[] = []
  const flush = (f: Map<string, string>): void => {
    if (f.has('final-recipient') || f.has('original-recipient')) {
      if (recipients.length < MAX_RECIPIENTS) recipients.push({ fields: f })
    } else if (f.has('status') && recipients.length > 0) {
      // A recipient group split by a stray blank line: merge.
      const last = recipients[recipients.length - 1]!
      for (const [k, v] of f) if (!last.fields.has(k)) last.fields.set(k, v)
    } else if (f.has('status') || f.has('action')) {
      if (recipients.length < MAX_RECIPIENTS) recipients.push({ fields: f })
    } else {
      for (const [k, v] of f) if (!message.has(k)) message.set(k, v)
    }
  }
  // The lines of text.split('\n', MAX_LINES), one at a time: the text may be the rest of a long
  // human-readable part (a DSN written inline), so no array of all its lines.
  let group: FieldGroup | undefined
  let pos = 0
  for (let n = 0; n < MAX_LINES; n++) {
    const nl = text.indexOf('\n', pos)
    const line = nl < 0 ? text.slice(pos) : text.slice(pos, nl)
    if (line.trim() === '') {
      if (group) flush(group.fields)
      group = undefined
    } else (group ??= new FieldGroup()).add(line)
    if (nl < 0) break
    pos = nl + 1
  }
  if (group) flush(group.fields)
  return { message, recipients }
}

// ---------------------------------------------------------------------------------------------
// Human-readable text

interface Diag {
  readonly text: string
  /** 1 = labelled status (`Status code:`), 2 = quoted server reply, 3 = other line with codes,
   * 4 = line starting with a reply code only, 5 = a code mentioned in prose. */
  readonly prio: number
  readonly remote: string | undefined
  /** codesIn(text), computed once: a diagnostic is compared several times while building. */
  codes: CodeInfo | undefined
}

function diag(text: string, prio: number, remote?: string): Diag {
  return { text, prio, remote, codes: undefined }
}

function diagCodes(d: Diag): CodeInfo {
  return (d.codes ??= codesIn(d.text))
}

interface TextRecipient {
  readonly address: string
  diags: Diag[]
  remote: string | undefined
}

interface TextFacts {
  readonly recipients: TextRecipient[]
  readonly orphanDiags: Diag[]
  generatingServer: string | undefined
  receivingServer: string | undefined
  sender: string | undefined
  originalSubject: string | undefined
  layout: BounceLayout | undefined
  /** Offset in the text where the returned original's headers start, if inline. */
  originalAt: number | undefined
  unclosedQuote: boolean
  readonly wording: Wording
}

const END_MARKERS = [
  'original message headers',
  'en-têtes de message d',
  'intestazioni originali del messaggio',
  'ursprungshuvuden',
  '------ this is a copy of the message',
  '--- below this line is a copy of the message',
  '----- original message -----',
  '-----original message-----',
  '------ original message',
  '--- the header of the original message',
  'message hops',
  '----- the original message headers',
  '------ this is a copy of your message',
  '----- original message header',
]

const GEN_LABELS = [
  'generating server:',
  'dsn generated by:',
  'serveur de génération',
  'server di generazione',
  'genererande server',
]

const FINAL_WORDS = [
  'permanent',
  'given up',
  'giving up',
  'not going to try again',
  'could not be delivered',
  "couldn't be delivered",
  'delivery has failed',
  'undeliverable',
  'failed permanently',
  'message expired',
  'has stopped trying',
  'returned mail',
  'delivery failed',
]
/** Headlines that only non-delivery reports use (Exchange 2003-2019, Exchange Online, common MTAs). */
const NDR_PHRASES = [
  'did not reach the following recipient',
  'delivery has failed to these recipients',
  "couldn't be delivered",
  'could not be delivered to',
  'rejected your message to the following',
  'mail delivery failed',
  'undelivered mail returned to sender',
  'delivery status notification (failure)',
  'your delivery to the following address has been failed',
  'unable to deliver your message',
  "wasn't able to deliver your message",
  'the following addresses had permanent fatal errors',
  'delivery to the following recipient failed',
  'message could not be delivered',
]

const DELAY_WORDS = [
  'delivery has been delayed',
  'delivery delayed',
  'delayed mail',
  'has been delayed',
  'will continue to try',
  'will retry',
  'still trying',
  'is delayed',
  '(delay)',
  "hasn't been delivered yet",
  'not yet been delivered',
]

const FINAL_RE = anyOf(FINAL_WORDS)
const NDR_RE = anyOf(NDR_PHRASES)
const DELAY_RE = anyOf(DELAY_WORDS)

/** Labels that name a recipient ("Delivery failed: addr", "Failed recipient: <addr>"). */
const RECIPIENT_LABEL_WORDS = ['recipient', 'failed', 'deliver', 'rcpt', 'destinat', 'empfänger']

/** What headline and the "RCPT TO:" check need: ' rejected your message…' has 'your message to '. */
const HEADLINE_OR_RCPT = /your message to | gave this error:|rcpt/

/** Where the server's words start after a marker such as "host X said:". */
const DIAG_MARKERS = [' said:', 'reason:', 'returned was:', 'said]:', ']:', 'error:']
const ANY_DIAG_MARKER = anyOf(DIAG_MARKERS)

/**
 * Wording searched in the first 20,000 lower-cased chars. Each scan runs only when a decision needs
 * it: with a delivery-status report, most messages never ask (the delay scan alone was a tenth of the
 * parse time when it ran on every message).
 */
class Wording {
  private final: boolean | undefined = undefined
  private ndr: boolean | undefined = undefined
  private delay: boolean | undefined = undefined
  private readonly head: string
  constructor(head: string) {
    this.head = head
  }
  /** Words saying the failure is final (`permanent`, `undeliverable`, …). */
  get finalWords(): boolean {
    return (this.final ??= FINAL_RE.test(this.head))
  }
  /** A headline only non-delivery reports use. */
  get ndrPhrase(): boolean {
    return (this.ndr ??= NDR_RE.test(this.head))
  }
  /** Words saying delivery is still being tried. */
  get delayWords(): boolean {
    return (this.delay ??= DELAY_RE.test(this.head))
  }
}

/** Chars whose lower case depends on what surrounds them or is longer (Σ, İ), and surrogates. */
const CASE_CONTEXT = /[\u0130\u03a3\ud800-\udfff]/

/**
 * The first HEAD_CHARS chars of one text, lower-cased once for every check that reads them (the
 * layout phrases, the wording, systemOf, the language keywords, each line of scanText). A piece of
 * the lowered head is what lowering that piece alone gives, unless the head holds one of
 * CASE_CONTEXT (lowering İ lengthens it, a final sigma depends on the next char): then each piece
 * is lowered alone, as before. On one-byte strings (Latin-1 text) that check costs nothing.
 */
export class LowerText {
  static readonly HEAD_CHARS = 20000
  readonly text: string
  readonly head: string
  /** Whether head.slice(a, b) equals text.slice(a, b).toLowerCase() for b ≤ HEAD_CHARS. */
  readonly aligned: boolean
  constructor(text: string) {
    this.text = text
    const cut =
      text.length > LowerText.HEAD_CHARS ? plainSlice(text, 0, LowerText.HEAD_CHARS) : text
    this.head = cut.toLowerCase()
    this.aligned = this.head.length === cut.length && !CASE_CONTEXT.test(cut)
  }
  /** text.slice(0, n).toLowerCase(), for n ≤ HEAD_CHARS. */
  prefix(n: number): string {
    if (this.text.length <= n) return this.head
    if (this.aligned) return this.head.slice(0, n)
    return this.text.slice(0, n).toLowerCase()
  }
  /** text.slice(a, b).toLowerCase(). */
  slice(a: number, b: number): string {
    if (this.aligned && b <= this.head.length) return this.head.slice(a, b)
    return this.text.slice(a, b).toLowerCase()
  }
}

/** Every phrase layoutOf looks for: one scan rules them all out for most texts. */
const LAYOUT_PHRASES_RE = anyOf([
  'more info for email admins',
  'original message details',
  'rejected your message to the following',
  'diagnostic information for administrators',
  'informations de diagnostic pour les administrateurs',
  'informazioni di diagnostica per gli amministratori',
  '管理者向けの診断情報',
  'delivery has failed to these recipients',
  'remote server returned',
])

function layoutOf(lowerHead: string): BounceLayout | undefined {
  if (!LAYOUT_PHRASES_RE.test(lowerHead)) return undefined
  if (
    lowerHead.includes('more info for email admins') ||
    lowerHead.includes('original message details')
  )
    return 'exchange-enhanced'
  if (lowerHead.includes('rejected your message to the following')) return 'exchange-rejected'
  if (
    lowerHead.includes('diagnostic information for administrators') ||
    lowerHead.includes('informations de diagnostic pour les administrateurs') ||
    lowerHead.includes('informazioni di diagnostica per gli amministratori') ||
    lowerHead.includes('管理者向けの診断情報') ||
    lowerHead.includes('delivery has failed to these recipients') ||
    lowerHead.includes('remote server returned')
  )
    return 'exchange-classic'
  return undefined
}

function afterColon(line: string): string {
  const i = line.indexOf(':')
  return i >= 0 ? line.slice(i + 1).trim() : ''
}

function firstToken(s: string): string | undefined {
  const t = untilSpace(s.trim(), '([')
  if (!t) return undefined
  let end = t.length
  while (end > 0 && `.,;:'"`.includes(t[end - 1]!)) end--
  return t.slice(0, end)
}

/** Drops a trailing `##` (Exchange 2007 ends its reply with ` ##`) and the spaces around it. */
function stripTrailingHashes(s: string): string {
  const t = s.trimEnd()
  return t.endsWith('##') ? t.slice(0, -2).trimEnd() : s
}

function startsWithAny(s: string, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (s.startsWith(p)) return true
  return false
}

function includesAny(s: string, needles: readonly string[]): boolean {
  for (const n of needles) if (s.includes(n)) return true
  return false
}

/** Prefixes grouped by their first char (ASCII): a line is compared only with its own group. */
function byFirstChar(prefixes: readonly string[]): ReadonlyArray<readonly string[] | undefined> {
  const table: string[][] = []
  for (const p of prefixes) (table[p.charCodeAt(0)] ??= []).push(p)
  return table
}

/** Whether `lower` (whose first char code is c0) starts with one of the grouped prefixes. */
function startsWithGrouped(
  lower: string,
  c0: number,
  table: ReadonlyArray<readonly string[] | undefined>,
): boolean {
  const group = c0 < 128 ? table[c0] : undefined
  return group !== undefined && startsWithAny(lower, group)
}

const END_MARKERS_BY_CHAR = byFirstChar(END_MARKERS)
const GEN_LABELS_BY_CHAR = byFirstChar(GEN_LABELS)

function isEndMarker(lower: string, c0: number): boolean {
  return startsWithGrouped(lower, c0, END_MARKERS_BY_CHAR)
}

/** If the line is just an address (in the shapes NDRs list recipients), returns it and the rest. */
function addressLine(trimmed: string): { address: string; rest: string } | undefined {
  // Every shape needs an '@'; most lines have none, so this test spares the slicing below.
  if (trimmed.length > 400 || !trimmed.includes('@')) return undefined
  if (trimmed.startsWith('<')) {
    const gt = trimmed.indexOf('>')
    if (gt < 0) return undefined
    const inner = trimmed.slice(1, gt).trim()
    if (!ADDR_ONLY.test(inner)) return undefined
    let rest = trimmed.slice(gt + 1).trim()
    if (rest.startsWith(':')) rest = rest.slice(1).trim()
    else if (rest.startsWith('...')) rest = rest.slice(3).trim()
    else if (rest.startsWith('(') || rest.startsWith('<mailto:')) rest = ''
    else if (rest !== '') return undefined
    return { address: inner, rest }
  }
  let end = trimmed.length
  end = stopBefore(trimmed, '<mailto:', end)
  end = stopBefore(trimmed, ' (', end)
  end = stopBefore(trimmed, '(', end)
  end = stopBefore(trimmed, ' on ', end)
  let cand = trimmed.slice(0, end).trim()
  if (cand.endsWith(':')) cand = cand.slice(0, -1)
  if (!ADDR_ONLY.test(cand)) return undefined
  return { address: cand, rest: '' }
}

/** `end`, or the first place after the start where `stop` occurs if that is earlier. */
function stopBefore(s: string, stop: string, end: number): number {
  const i = s.indexOf(stop)
  return i > 0 && i < end ? i : end
}

/**
 * Lines of a text, cut at MAX_LINE_CHARS and MAX_LINES, sliced only when asked for: the scan
 * usually stops where the returned original starts, long before the end.
 */
class Lines {
  private readonly lines: string[] = []
  private readonly starts: number[] = []
  private pos = 0
  private done = false
  private readonly t: string
  constructor(t: string) {
    this.t = t
  }
  /** Line i, or undefined past the last one. */
  at(i: number): string | undefined {
    while (this.lines.length <= i && !this.done) this.next()
    return this.lines[i]
  }
  /** Offset of line i in the text, or undefined past the last line. */
  start(i: number): number | undefined {
    while (this.starts.length <= i && !this.done) this.next()
    return this.starts[i]
  }
  private next(): void {
    const t = this.t
    const pos = this.pos
    if (pos > t.length || this.lines.length >= MAX_LINES) {
      this.done = true
      return
    }
    let nl = t.indexOf('\n', pos)
    if (nl < 0) nl = t.length
    this.starts.push(pos)
    this.lines.push(t.slice(pos, Math.min(nl, pos + MAX_LINE_CHARS)))
    if (nl >= t.length) this.done = true
    this.pos = nl + 1
  }
}

/** Scans the human-readable text of a bounce (or a paste) for recipients and diagnostics. */
export function scanText(text: LowerText): TextFacts {
  return new TextScanner(text).run()
}

/** State of one scan of the human-readable text, line by line. */
class TextScanner {
  private readonly facts: TextFacts
  private readonly byAddr = new Map<string, TextRecipient>()
  private readonly t: string
  private readonly lines: Lines
  private readonly lowered: LowerText
  private current: TextRecipient | undefined = undefined
  /** An Exchange Online server named on a labelled line (see labelledExoHost). */
  private exoHost: string | undefined = undefined
  private remoteHostForNext: string | undefined = undefined
  private awaitingGaveError: string | undefined = undefined

  constructor(lower: LowerText) {
    const text = lower.text
    this.t = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text
    const head = lower.prefix(LowerText.HEAD_CHARS)
    this.lowered = lower
    this.lines = new Lines(this.t)
    this.facts = {
      recipients: [],
      orphanDiags: [],
      generatingServer: undefined,
      receivingServer: undefined,
      sender: undefined,
      originalSubject: undefined,
      layout: layoutOf(head),
      originalAt: undefined,
      unclosedQuote: false,
      wording: new Wording(head),
    }
  }

  run(): TextFacts {
    for (let i = 0; this.lines.at(i) !== undefined; i++) {
      const last = this.line(i)
      if (last < 0) break
      i = last
    }
    this.facts.generatingServer ??= this.exoHost
    return this.facts
  }

  private touch(addr: string): TextRecipient {
    const key = addr.toLowerCase()
    let r = this.byAddr.get(key)
    if (!r) {
      r = { address: addr, diags: [], remote: undefined }
      if (this.byAddr.size < MAX_RECIPIENTS) {
        this.byAddr.set(key, r)
        this.facts.recipients.push(r)
      }
    }
    return r
  }

  private addDiag(d: Diag): void {
    const current = this.current
    if (current) {
      if (current.diags.length < 32) current.diags.push(d)
    } else if (this.facts.orphanDiags.length < 32) this.facts.orphanDiags.push(d)
  }

  /** Joins continuation lines (indented, or up to a closing quote) to a diagnostic. */
  private continuation(start: number, first: string, untilQuote: boolean): [string, number] {
    let text = first
    let i = start
    for (let k = 0; k < 8; k++) {
      const next = this.lines.at(i + 1)
      if (next === undefined) break
      if (untilQuote && text.trimEnd().endsWith("'")) break
      if (next.trim() === '') break
      if (!untilQuote) {
        if (!(next.startsWith(' ') || next.startsWith('\t'))) break
        if (ADDRESS_ALONE.test(next)) break
      }
      text += untilQuote ? next : ' ' + next.trim()
      i++
    }
    return [text, i]
  }

  /**
   * Labelled lines of the Exchange layouts ("Generating server:", "Recipient address:", …). The
   * labels start with 'd', 'g', 'r' or 's': other lines skip the comparisons.
   */
  private labelLine(trimmed: string, lower: string, c0: number): boolean {
    const facts = this.facts
    if (c0 !== 100 && c0 !== 103 && c0 !== 114 && c0 !== 115) return false
    if (startsWithGrouped(lower, c0, GEN_LABELS_BY_CHAR)) {
      facts.generatingServer ??= firstToken(afterColon(trimmed))
      return true
    }
    if (lower.startsWith('receiving server:') || lower.startsWith('remote server:')) {
      const host = firstToken(afterColon(trimmed))
      if (host) {
        facts.receivingServer ??= host
        if (this.current) this.current.remote ??= host
      }
      return true
    }
    if (lower.startsWith('sender address:')) {
      facts.sender ??= cleanAddress(afterColon(trimmed))
      return true
    }
    if (lower.startsWith('recipient address:')) {
      const a = cleanAddress(afterColon(trimmed))
      if (a) this.current = this.touch(a)
      return true
    }
    if (lower.startsWith('subject:') && facts.layout === 'exchange-enhanced') {
      facts.originalSubject ??= afterColon(trimmed)
      return true
    }
    return false
  }

  /** Headlines naming the recipient or the rejecting server (Layouts B and C). */
  private headline(trimmed: string, lower: string): boolean {
    // Layout C headline "Your message to X couldn't be delivered."; Layout B "X rejected your message".
    const yi = lower.indexOf('your message to ')
    if (yi >= 0 && lower.includes('delivered')) {
      const a = cleanAddress(untilSpace(trimmed.slice(yi + 16)))
      if (a) this.current = this.touch(a)
      return true
    }
    // (this phrase contains 'your message to ')
    const ri = yi < 0 ? -1 : lower.indexOf(' rejected your message to the following')
    if (ri > 0) {
      this.remoteHostForNext = firstToken(trimmed.slice(0, ri))
      return true
    }
    const gi = lower.indexOf(' gave this error:')
    if (gi > 0) {
      this.awaitingGaveError = firstToken(trimmed.slice(0, gi))
      return true
    }
    return false
  }

  /** "Delivery failed: addr", "Failed recipient: <addr>" (any label naming the recipient). */
  private labelledRecipient(trimmed: string, lower: string): boolean {
    const colon = trimmed.indexOf(':')
    if (colon <= 0 || colon >= 40 || trimmed.indexOf('@', colon + 1) < 0) return false
    if (!includesAny(lower.slice(0, colon), RECIPIENT_LABEL_WORDS)) return false
    const rest = trimmed.slice(colon + 1).trim()
    const al = rest ? addressLine(rest) : undefined
    if (!al || al.rest) return false
    this.current = this.touch(al.address)
    return true
  }

  /** trimmed.toLowerCase(), taken from the lowered head when it can be (no copy, no case mapping). */
  private lowerOfLine(i: number, line: string, trimmed: string): string {
    const lowered = this.lowered
    if (!lowered.aligned) return trimmed.toLowerCase()
    // Where trimmed starts: after the leading white space, which cannot hold its first char.
    let a = this.lines.start(i)!
    if (trimmed.length !== line.length) {
      const c = trimmed.charCodeAt(0)
      for (let k = 0; line.charCodeAt(k) !== c; k++) a++
    }
    const b = a + trimmed.length
    return b <= lowered.head.length ? lowered.head.slice(a, b) : trimmed.toLowerCase()
  }

  /** Examines line i; returns the index of the last line it consumed, or -1 to stop the scan. */
  private line(i: number): number {
    const facts = this.facts
    const line = this.lines.at(i)!
    const trimmed = line.trim()
    if (!trimmed) return i
    const lower = this.lowerOfLine(i, line, trimmed)
    const c0 = lower.charCodeAt(0)
    if (isEndMarker(lower, c0)) {
      facts.originalAt = this.lines.start(i + 1) ?? this.t.length
      return -1
    }
    if (c0 === 114 && i > 0 && RETURNED_HEADER.test(line)) {
      facts.originalAt = this.lines.start(i)
      return -1
    }
    if (this.labelLine(trimmed, lower, c0)) return i
    // (Lines ending so are rare: the test spares the search on every other line.)
    if (this.exoHost === undefined && lower.endsWith('.com'))
      this.exoHost = labelledExoHost(trimmed)
    // One search rules out the headlines and "RCPT TO:" for most lines (five searches otherwise).
    if (HEADLINE_OR_RCPT.test(lower)) {
      if (this.headline(trimmed, lower)) return i
      const rcpt = lower.indexOf('rcpt:')
      const rcptTo = rcpt >= 0 ? rcpt : lower.indexOf('rcpt to:')
      if (rcptTo >= 0) {
        const after = trimmed.slice(rcptTo + (rcpt >= 0 ? 5 : 8))
        const a = cleanAddress(untilSpace(after))
        if (a) this.current = this.touch(a)
      }
    }
    if (this.labelledRecipient(trimmed, lower)) return i
    const al = addressLine(trimmed)
    if (al) return this.addressFound(i, al)
    if (this.awaitingGaveError) {
      // Layout B: the remote server's own text, one line.
      this.awaitingGaveError = undefined
      const c = codesIn(trimmed)
      if (c.status || c.replyCode)
        this.addDiag({ text: trimmed, prio: 3, remote: undefined, codes: c })
      return i
    }
    const hasDigit = HAS_CODE.test(trimmed)
    if (!hasDigit) return i
    const quoteStart = lower.indexOf("returned '")
    if (quoteStart >= 0 && lower.includes('remote server')) return this.quotedReply(i, trimmed)
    return this.diagLine(trimmed, lower, i) ?? i
  }

  /** A line that is an address, alone or followed by its diagnostic. */
  private addressFound(i: number, al: { address: string; rest: string }): number {
    const current = this.touch(al.address)
    this.current = current
    if (this.remoteHostForNext) current.remote ??= this.remoteHostForNext
    if (!al.rest) {
      // Exchange 2003 style: the reason is written, indented, under the address, without a code.
      const next = this.lines.at(i + 1)
      if (next && INDENTED.test(next) && !ENH_START.test(next) && !ADDR_ONLY.test(next.trim())) {
        const [joined] = this.continuation(i + 1, next.trim(), false)
        if (current.diags.length < 32) current.diags.push(diag(joined, 6))
      }
      return i
    }
    // Postfix: "<addr>: host X[ip] said: 550 5.1.1 ..." – go on with the rest.
    const [joined, ni] = this.continuation(i, al.rest, false)
    this.diagLine(joined, joined.toLowerCase(), undefined)
    return ni
  }

  /** Exchange 2007-2019: "Remote Server returned '550 5.1.1 …'", possibly over several lines. */
  private quotedReply(i: number, trimmed: string): number {
    const [joined, ni] = this.continuation(i, trimmed, true)
    const q = joined.indexOf("'", joined.toLowerCase().indexOf("returned '") + 9)
    let inner = joined.slice(q + 1)
    if (inner.trimEnd().endsWith("'")) inner = inner.trimEnd().slice(0, -1)
    else this.facts.unclosedQuote = true
    const at = joined.toLowerCase().indexOf('remote server at ')
    const remote =
      at >= 0 ? firstToken(joined.slice(at + 17)) : (this.current?.remote ?? this.remoteHostForNext)
    this.addDiag(diag(inner, 2, remote))
    return ni
  }

  /** Records the diagnostic on this line; returns the index of the last line it consumed. */
  private diagLine(trimmed: string, lower: string, idx: number | undefined): number | undefined {
    let consumed = idx
    const markerIdx = diagMarkerEnd(lower)
    if (trimmed.startsWith('<<<')) {
      const d = trimmed.slice(3).trim()
      if (REPLY_503.test(d)) return consumed // "Need RCPT command": a follow-on error, never the cause
      this.addDiag(diag(d, 2))
      return consumed
    }
    if (trimmed.startsWith('>>>')) return consumed // our side of an SMTP transcript
    let text = trimmed
    let prio = 3
    if (markerIdx >= 0) {
      text = trimmed.slice(markerIdx).trim()
      if (idx !== undefined) {
        const [joined, ni] = this.continuation(idx, text, false)
        text = joined
        consumed = ni
      }
      if (text.endsWith(')') && text.startsWith('(') === false && lower.includes('(reason:'))
        text = text.slice(0, -1)
      prio = 2
    }
    const re = REPLY_ENH.exec(text)
    if (re) {
      // Label form "Status code: 550 5.1.10" (Layout C), any language's label.
      const before = text.slice(0, re.index)
      if (markerIdx < 0 && before.endsWith(': ') && before.length < 48 && !before.includes('  ')) {
        const label = before.toLowerCase()
        prio = label.startsWith('status code') ? 1 : 2
      }
      this.addDiag(diag(stripTrailingHashes(text.slice(re.index)), prio))
      return consumed
    }
    if (markerIdx >= 0 && (ENH.test(text) || LEADING_REPLY.test(text))) {
      this.addDiag(diag(text, 2))
      return consumed
    }
    const lead = trimmed.replace(LEADING_HASH, '')
    if (LEADING_REPLY.test(lead)) {
      this.addDiag(diag(lead, ENH.test(lead) ? 3 : 4))
      return idx
    }
    const e = ENH.exec(trimmed)
    if (e) this.addDiag(diag(trimmed.slice(e.index), 5))
    return idx
  }
}

/** Host names of Exchange Online's own servers (not EOP's *.protection.outlook.com front ends). */
const EXO_HOST =
  /^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}\.(?:prod\.outlook|prod\.exchangelabs)\.com$/i

/**
 * "<label>: <Exchange Online server>" in any language: the generating server when its label is one
 * we do not know. Exchange writes it in the admin section of every layout, and the labels for
 * Japanese and Traditional Chinese were found in no public material (domain brief §2.7), so the
 * value decides: one token, an Exchange Online host (a hybrid NDR quoting Exchange Online names
 * it inside the reply, never alone after a label). The colon may be full-width.
 */
function labelledExoHost(line: string): string | undefined {
  let c = line.indexOf(':')
  const wide = line.indexOf('\uff1a')
  if (c < 0 || (wide >= 0 && wide < c)) c = wide
  if (c <= 0 || c > 40 || line.lastIndexOf('@', c) >= 0) return undefined
  const value = line.slice(c + 1).trim()
  return EXO_HOST.test(value) ? value : undefined
}

/** End of the first DIAG_MARKERS marker in the line (markers in list order), or -1. */
function diagMarkerEnd(lower: string): number {
  if (!ANY_DIAG_MARKER.test(lower)) return -1 // one search instead of six for most lines
  for (const m of DIAG_MARKERS) {
    const k = lower.indexOf(m)
    if (k >= 0) return k + m.length
  }
  return -1
}

// ---------------------------------------------------------------------------------------------
// Headers of the returned original, authentication verdicts

const VERDICTS = new Set<Verdict>([
  'pass',
  'fail',
  'softfail',
  'neutral',
  'none',
  'temperror',
  'permerror',
  'bestguesspass',
  'policy',
])

function verdictAfter(lower: string, key: string): Verdict | undefined {
  let from = 0
  while (from < lower.length) {
    const i = lower.indexOf(key + '=', from)
    if (i < 0) return undefined
    const prev = i > 0 ? lower.charCodeAt(i - 1) : 32
    from = i + key.length + 1
    // "spf=" must be a whole key, not "x-spf=" or "header.spf="
    if ((prev >= 97 && prev <= 122) || prev === 46 || prev === 45 || prev === 95) continue
    let j = from
    while (j < lower.length && lower.charCodeAt(j) >= 97 && lower.charCodeAt(j) <= 122) j++
    const w = lower.slice(from, j)
    if (VERDICTS.has(w as Verdict)) return w as Verdict
    if (w === 'hardfail') return 'fail'
    return undefined
  }
  return undefined
}

/** P1 domain of the original: Return-Path, else `smtp.mailfrom=` in Authentication-Results (RFC 8601). */
function mailFromDomainOf(h: Headers | undefined): string | undefined {
  if (!h) return undefined
  const rp = cleanAddress(header(h, 'return-path'))
  if (rp) return domainOf(rp)
  for (const v of headersAll(h, 'authentication-results').slice(0, 8)) {
    const m = SMTP_MAILFROM.exec(v.slice(0, 4096))
    if (m?.[1]) return m[1].toLowerCase().replace(/\.$/, '')
  }
  return undefined
}

/**
 * The server that gave the original message to EOP: Received headers are newest first (RFC 5321
 * §4.4), so the last one whose `by` is `*.mail.protection.outlook.com` is the entry hop.
 */
const PROTECTION_RE = /\.mail\.protection\.outlook\.com/i

function relayIpOf(h: Headers | undefined): string | undefined {
  if (!h) return undefined
  let ip: string | undefined
  for (const v of headersAll(h, 'received').slice(0, 64)) {
    const line = v.slice(0, 2048)
    // Cheap test first: the `by` host must end with this (most hops are elsewhere).
    if (!PROTECTION_RE.test(line)) continue
    const by = BY_HOST.exec(line)?.[1]?.toLowerCase()
    if (!by?.endsWith('.mail.protection.outlook.com')) continue
    const from = line.slice(0, by ? line.toLowerCase().indexOf(' by ') : undefined)
    const m = BRACKETED_IP.exec(from) ?? PARENTHESISED_IP.exec(from)
    if (m?.[1]) ip = m[1]
  }
  return ip
}

function authVerdicts(h: Headers | undefined): AuthVerdicts {
  if (!h) return {}
  const out: Record<'spf' | 'dkim' | 'dmarc' | 'compauth', Verdict | undefined> = {
    spf: undefined,
    dkim: undefined,
    dmarc: undefined,
    compauth: undefined,
  }
  // Authentication-Results fields first, then ARC ones; eight at most.
  const ar = headersAll(h, 'authentication-results')
  if (ar.length < 8) for (const v of headersAll(h, 'arc-authentication-results')) ar.push(v)
  for (let k = 0; k < ar.length && k < 8; k++) {
    if (out.spf && out.dkim && out.dmarc && out.compauth) break // nothing left to learn
    const lower = ar[k]!.slice(0, 4096).toLowerCase()
    out.spf ??= verdictAfter(lower, 'spf')
    out.dkim ??= verdictAfter(lower, 'dkim')
    out.dmarc ??= verdictAfter(lower, 'dmarc')
    out.compauth ??= verdictAfter(lower, 'compauth')
  }
  if (!out.spf) {
    const rs = header(h, 'received-spf')
    if (rs) {
      const w = untilSpace(rs.trim(), '(;').toLowerCase()
      if (w && VERDICTS.has(w as Verdict)) out.spf = w as Verdict
    }
  }
  const clean: Record<string, Verdict> = {}
  for (const [k, v] of Object.entries(out)) if (v) clean[k] = v
  return clean
}

// ---------------------------------------------------------------------------------------------
// System and language

function systemOf(
  top: Headers,
  text: LowerText,
  dsn: Dsn | undefined,
  layout: BounceLayout,
  generatingServer: string | undefined,
): BounceSystem {
  const from = (header(top, 'from') ?? '').toLowerCase()
  const reporting = (dsn?.message.get('reporting-mta') ?? '').toLowerCase()
  const gen = (generatingServer ?? '').toLowerCase()
  const servers = `${reporting} ${gen}`
  const lowerText = text.prefix(8000)
  const isNdrHeader = hasHeader(top, 'x-ms-exchange-message-is-ndr')
  const exchangeLayout = layout.startsWith('exchange-')
  if (EXO_SERVERS.test(servers)) return 'exchange-online'
  if (
    (isNdrHeader || exchangeLayout) &&
    (from.includes('.onmicrosoft.com') ||
      lowerText.includes('office 365') ||
      lowerText.includes('microsoft 365'))
  )
    return 'exchange-online'
  if (CONSUMER_FROM.test(from) || CONSUMER_MTA.test(reporting)) return 'outlook-com'
  if (isNdrHeader || exchangeLayout) return 'exchange-server'
  let received: string | undefined // receivedLower(top), computed when first needed
  if (
    from.includes('google') ||
    lowerText.includes('google tried to deliver') ||
    lowerText.includes('delivery to the following recipient failed permanently')
  )
    return 'gmail'
  if (
    from.includes('yahoo') ||
    lowerText.includes('sorry, we were unable to deliver your message to the following address')
  )
    return 'yahoo'
  if (
    lowerText.includes('qmail-send program') ||
    lowerText.includes('--- below this line is a copy of the message')
  )
    return 'qmail'
  if (reporting.includes('amazonses') || from.includes('amazonses')) return 'amazon-ses'
  if (
    lowerText.includes('this is the mail system at host') ||
    dsn?.message.has('x-postfix-queue-id') ||
    /\(postfix\)/.test((received ??= receivedLower(top)).slice(0, 400))
  )
    return 'postfix'
  if (
    lowerText.includes('this message was created automatically by mail delivery software') ||
    header(top, 'x-failed-recipients') !== undefined
  )
    return 'exim'
  if (
    lowerText.includes('----- transcript of session follows -----') ||
    lowerText.includes('the following addresses had permanent fatal errors')
  )
    return 'sendmail'
  if (
    lowerText.includes('internet mail service') ||
    (received ??= receivedLower(top)).includes('internet mail service') ||
    header(top, 'x-mailer')?.toLowerCase().includes('internet mail service') ||
    hasHeader(top, 'x-ms-embedded-report')
  )
    return 'exchange-server'
  if (dsn && dsn.recipients.length > 0) return 'rfc3464'
  return 'unknown'
}

/** All Received fields, joined and lower-cased (only the last, rarer checks of systemOf read them). */
function receivedLower(top: Headers): string {
  return headersAll(top, 'received').join(' ').toLowerCase()
}

const TRAD =
  '們這個無來對時會過國說與從為將體發還開關頭點應實現當樣麼經書請電話網際郵傳遞訊息認證處員戶內單誤達態'
const SIMP =
  '们这个无来对时会过国说与从为将体发还开关头点应实现当样么经书请电话网际邮传递讯息认证处员户内单误达态'

/** For each char U+4E00-U+9FFF: 1 if in TRAD, else 2 if in SIMP, else 0 (a lookup, not a search). */
export const HAN_VARIANT = new Uint8Array(0x9fff - 0x4e00 + 1)
for (const [chars, v] of [
  [SIMP, 2],
  [TRAD, 1],
] as const) {
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i)
    if (c >= 0x4e00 && c <= 0x9fff) HAN_VARIANT[c - 0x4e00] = v
  }
}

const LATIN_KEYWORDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  [
    'fr',
    [
      'non remis',
      'destinataire',
      "n'a pas pu",
      'impossible de remettre',
      'informations de diagnostic',
      'serveur de génération',
      'votre message',
      'en-têtes',
      'remise',
      'échec',
    ],
  ],
  [
    'it',
    [
      'non recapitabile',
      'destinatari',
      'impossibile recapitare',
      'informazioni di diagnostica',
      'server di generazione',
      'il messaggio',
      'recapito',
      'messaggio',
    ],
  ],
  [
    'de',
    ['unzustellbar', 'empfänger', 'nicht zugestellt', 'diagnoseinformationen', 'ihre nachricht'],
  ],
  ['es', ['no se puede entregar', 'destinatario', 'no se pudo entregar', 'su mensaje', 'entrega']],
  ['pt', ['não é possível entregar', 'destinatário', 'sua mensagem', 'não pôde ser entregue']],
  ['nl', ['onbestelbaar', 'ontvanger', 'uw bericht', 'kan niet worden bezorgd']],
  ['sv', ['olevererbart', 'mottagare', 'genererande server', 'ditt meddelande']],
  [
    'en',
    [
      'delivery',
      'the following',
      'could not be delivered',
      "couldn't be delivered",
      'undeliverable',
      'recipient',
      'your message',
      'failed',
      'returned',
      'error',
      'address',
    ],
  ],
]

const LATIN_KEYWORDS_RE = LATIN_KEYWORDS.map(([lang, kws]) => [lang, kws, anyOf(kws)] as const)
/**
 * Any keyword of a language other than English: one scan instead of seven for the usual English
 * text (each separate scan cost about as much as this one).
 */
const NON_ENGLISH_RE = anyOf(LATIN_KEYWORDS.flatMap(([lang, kws]) => (lang === 'en' ? [] : kws)))

function mapLanguageTag(tag: string): string | undefined {
  const t =
    tag
      .trim()
      .split(/[,;\s]/, 1)[0]
      ?.toLowerCase() ?? ''
  if (!/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/.test(t)) return undefined
  const [p, ...rest] = t.split('-')
  if (p === 'zh') {
    if (rest.some((r) => r === 'tw' || r === 'hk' || r === 'mo' || r === 'hant')) return 'zh-TW'
    return 'zh-CN'
  }
  return p
}

/** Letters that make words for detectLanguage: A-Z, a-z and U+00C0-U+024F. */
const LATIN_LETTER = new Uint8Array(0x250)
for (let c = 0; c < 0x250; c++)
  LATIN_LETTER[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0 ? 1 : 0

const BEYOND_LATIN = /[\u0400-\uffff]/

/** Whether the text has at least `n` words (runs of LATIN_LETTER); stops at the n-th. */
function hasWords(s: string, n: number): boolean {
  let words = 0
  let inWord = false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x250 && LATIN_LETTER[c] === 1) {
      if (!inWord && ++words >= n) return true
      inWord = true
    } else inWord = false
  }
  return false
}

/** Language of the human-readable part: script first, then Content-Language, then keywords. */
export function detectLanguage(
  lowered: LowerText,
  contentLanguage: string | undefined,
  knownAscii: boolean,
): string | undefined {
  if (knownAscii) return latinLanguage(lowered, contentLanguage) // see below
  const text = lowered.text
  const sample = text.length > 12000 ? text.slice(0, 12000) : text
  // ASCII text (control chars included) goes straight to the keywords. The loop below would give
  // the same answer for it: no script counts, and fewer than three words cannot pass
  // hasThreeWords. Testing for non-ASCII is a much faster scan than testing for controls too.
  if (isAsciiRange(sample, 0, sample.length)) return latinLanguage(lowered, contentLanguage)
  // No char from U+0400 up (Latin text with accents: French, Italian, a windows-1252 English
  // bounce): no script can reach its threshold below, so only "fewer than three words" matters,
  // and that is known after the first three words (corpus lhost-office365-01 spent most of its
  // parse time counting every word of 12,000 chars).
  if (!BEYOND_LATIN.test(sample)) {
    if (!contentLanguage && !hasWords(sample, 3)) return undefined
    return latinLanguage(lowered, contentLanguage)
  }
  let kana = 0
  let han = 0
  let hangul = 0
  let cyr = 0
  let trad = 0
  let simp = 0
  let words = 0
  let inWord = false
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i)
    if (c < 0x250) {
      // A letter (ASCII or Latin, up to U+024F) continues or starts a word; anything else ends it.
      if (LATIN_LETTER[c] === 1) {
        if (!inWord) words++
        inWord = true
      } else inWord = false
      continue
    }
    inWord = false
    if (c < 0x400) continue
    if (c >= 0x3040 && c <= 0x30ff) kana++
    else if (c >= 0x4e00 && c <= 0x9fff) {
      han++
      const v = HAN_VARIANT[c - 0x4e00]
      if (v === 1) trad++
      else if (v === 2) simp++
    } else if (c >= 0xac00 && c <= 0xd7af) hangul++
    else if (c >= 0x400 && c <= 0x4ff) cyr++
  }
  const cjkThreshold = Math.max(8, words * 0.15)
  if (kana + han >= cjkThreshold && kana >= 3) return 'ja'
  if (han >= cjkThreshold) return trad >= simp ? 'zh-TW' : 'zh-CN'
  if (hangul >= cjkThreshold) return 'ko'
  if (cyr >= Math.max(20, words)) return 'ru'
  if (words < 3 && !contentLanguage) return undefined
  return latinLanguage(lowered, contentLanguage)
}

const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95
const isLowerLetter = (c: number): boolean => c >= 97 && c <= 122

/**
 * Linear form of /[a-z]{2,}\W+[a-z]{2,}\W+[a-z]{2,}/ (three words in a row, as prose has): runs of
 * word characters where the first ends in two letters, the middle is all letters, the last starts
 * with two.
 */
function hasThreeWords(s: string, limit: number): boolean {
  const n = Math.min(s.length, limit)
  // The two runs before the current one, [a0, a1) and [b0, b1); a0 is -1 until there are two.
  let a0 = -1
  let a1 = -1
  let b0 = -1
  let b1 = -1
  let i = 0
  while (i < n) {
    if (!isWordChar(s.charCodeAt(i))) {
      i++
      continue
    }
    const start = i
    while (i < n && isWordChar(s.charCodeAt(i))) i++
    if (a0 >= 0) {
      let allLetters = b1 - b0 >= 2
      for (let k = b0; allLetters && k < b1; k++) allLetters = isLowerLetter(s.charCodeAt(k))
      if (
        a1 - a0 >= 2 &&
        isLowerLetter(s.charCodeAt(a1 - 1)) &&
        isLowerLetter(s.charCodeAt(a1 - 2)) &&
        allLetters &&
        i - start >= 2 &&
        isLowerLetter(s.charCodeAt(start)) &&
        isLowerLetter(s.charCodeAt(start + 1))
      )
        return true
    }
    a0 = b0
    a1 = b1
    b0 = start
    b1 = i
  }
  return false
}

export function latinLanguage(
  lowered: LowerText,
  contentLanguage: string | undefined,
): string | undefined {
  if (contentLanguage) {
    const m = mapLanguageTag(contentLanguage)
    if (m) return m
  }
  const lower = lowered.prefix(6000)
  if (!hasThreeWords(lower, 2000)) return undefined
  let best: string | undefined
  let bestScore = 0
  const nonEnglish = NON_ENGLISH_RE.test(lower)
  for (const [lang, kws, any] of LATIN_KEYWORDS_RE) {
    if (lang !== 'en' && !nonEnglish) continue
    // One scan tells whether any keyword of the language is there; most texts have none.
    if (!any.test(lower)) continue
    let score = 0
    for (const k of kws) {
      if (!lower.includes(k)) continue
      score += lang === 'en' ? 1 : 3
      // English comes last and scores one a keyword: once it beats the best so far (and reaches 2,
      // the least that counts), more keywords change nothing.
      if (lang === 'en' && score > Math.max(bestScore, 1)) break
    }
    if (score > bestScore) {
      best = lang
      bestScore = score
    }
  }
  return bestScore >= 2 ? best : undefined
}

// ---------------------------------------------------------------------------------------------
// The whole message

export interface Collected {
  readonly humanText: string
  readonly dsnTexts: string[]
  readonly feedback: boolean
  readonly charsetUnknown: boolean
  readonly textCapped: boolean
  /** True when humanText is known to be all ASCII (decoded by an ASCII path); false when unknown. */
  readonly textAscii: boolean
}

/** Decodes the parts of one message node that the engine reads. */
export function collect(src: Source, node: MessageNode): Collected {
  const plain: string[] = []
  const html: string[] = []
  const dsnTexts: string[] = []
  let feedback = false
  let charsetUnknown = false
  let textCapped = false
  let plainAscii = true
  let budget = MAX_TEXT_CHARS
  for (const leaf of node.leaves) {
    const type = leaf.ct.type
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      if (dsnTexts.length < 8) {
        const d = decodeLeaf(
          src,
          type === 'message/global-delivery-status'
            ? { ...leaf, ct: { type, params: { charset: 'utf-8' } } }
            : leaf,
        )
        dsnTexts.push(d.text.length > MAX_TEXT_CHARS ? d.text.slice(0, MAX_TEXT_CHARS) : d.text)
      }
      continue
    }
    if (type === 'message/feedback-report') {
      feedback = true
      continue
    }
    const isText = type === 'text/plain' || type === 'text/html' || type === 'text/enriched'
    if (!isText || budget <= 0) continue
    const disp = (header(leaf.headers, 'content-disposition') ?? '').toLowerCase()
    if (disp.startsWith('attachment') && (plain.length > 0 || html.length > 0)) continue
    if (type !== 'text/plain' && plain.length > 0) continue
    if (type === 'text/plain') html.length = 0 // plain text wins; drop html decoded before it
    const d = decodeLeaf(src, leaf)
    charsetUnknown ||= d.charsetUnknown
    textCapped ||= d.capped
    let text = d.text
    if (text.length > budget) {
      text = text.slice(0, budget)
      textCapped = true
    }
    budget -= text.length
    if (type === 'text/html') html.push(text)
    else {
      plain.push(text)
      plainAscii &&= d.ascii
    }
  }
  const humanText = plain.length > 0 ? plain.join('\n\n') : html.map(htmlToText).join('\n\n')
  // (HTML entities may decode to any char: text from HTML is not known to be ASCII.)
  const textAscii = plain.length > 0 && plainAscii
  return { humanText, dsnTexts, feedback, charsetUnknown, textCapped, textAscii }
}

/** Cheap, linear tag stripper for HTML-only bounces (display uses a sanitizer; this is for facts). */
export function htmlToText(html: string): string {
  let out = ''
  let i = 0
  const n = Math.min(html.length, MAX_TEXT_CHARS)
  while (i < n) {
    const lt = html.indexOf('<', i)
    if (lt < 0 || lt >= n) {
      out += html.slice(i, n)
      break
    }
    out += html.slice(i, lt)
    const gt = html.indexOf('>', lt)
    if (gt < 0) break
    const tag = html.slice(lt + 1, Math.min(gt, lt + 12)).toLowerCase()
    if (tag.startsWith('style') || tag.startsWith('script') || tag.startsWith('head')) {
      const name = tag.startsWith('style') ? 'style' : tag.startsWith('script') ? 'script' : 'head'
      const close = html.toLowerCase().indexOf('</' + name, gt)
      i = close < 0 ? n : html.indexOf('>', close) + 1 || n
      continue
    }
    if (/^(?:br|\/p|p[\s>]|p$|\/div|div|\/tr|tr|li|\/li|\/h\d|h\d)/.test(tag)) out += '\n'
    else if (tag.startsWith('td') || tag.startsWith('/td')) out += ' '
    i = gt + 1
  }
  return out
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&apos;/g, "'")
    .replace(/&#(\d{1,6});/g, (_m, d: string) => {
      const cp = Number(d)
      return cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : ''
    })
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line, k, all) => (k < all.length - 1 ? trimEndBlanks(line) : line))
    .join('\n')
}

/** Drops trailing spaces and tabs (not other white space, as /[ \t]+\n/ did). */
function trimEndBlanks(line: string): string {
  let end = line.length
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--
  return line.slice(0, end)
}

function hasBounceEvidence(
  node: MessageNode,
  c: Collected,
  facts: TextFacts,
  dsn: Dsn | undefined,
): boolean {
  if (dsn && dsn.recipients.length > 0) return true
  if (
    hasHeader(node.headers, 'x-ms-exchange-message-is-ndr') ||
    hasHeader(node.headers, 'x-failed-recipients')
  )
    return true
  let best = bestPrio(facts.orphanDiags, 9)
  for (const r of facts.recipients) best = bestPrio(r.diags, best)
  if (best <= 3) return true
  if ((facts.recipients.length > 0 || best <= 4) && facts.wording.ndrPhrase) return true
  if (facts.recipients.length > 0 && hasHeader(node.headers, 'x-ms-embedded-report')) return true
  const ct = node.ct
  if (
    ct.type === 'multipart/report' &&
    (ct.params['report-type'] ?? '').toLowerCase().includes('delivery-status')
  )
    return true
  return best <= 4 && c.humanText.length > 0 && facts.wording.finalWords
}

/** The lowest (best) priority among the diagnostics and `best`. */
function bestPrio(diags: readonly Diag[], best: number): number {
  for (const d of diags) if (d.prio < best) best = d.prio
  return best
}

function isAutoReply(h: Headers, subject: string): boolean {
  const as = (header(h, 'auto-submitted') ?? '').toLowerCase()
  if (as.startsWith('auto-replied')) return true
  if (
    hasHeader(h, 'x-autoreply') ||
    hasHeader(h, 'x-autorespond') ||
    hasHeader(h, 'x-auto-response')
  )
    return true
  const prec = (header(h, 'precedence') ?? '').toLowerCase()
  if (prec.includes('auto_reply')) return true
  return AUTO_REPLY_SUBJECT.test(subject.trim())
}

function isComplaint(node: MessageNode, c: Collected, subject: string): boolean {
  if (c.feedback) return true
  const rt = (node.ct.params['report-type'] ?? '').toLowerCase()
  if (rt === 'feedback-report') return true
  // Hotmail's complaint format (JMRP): the reported message carries X-HmXmrOriginalRecipient.
  for (const a of node.attached) if (hasHeader(a.headers, 'x-hmxmroriginalrecipient')) return true
  return COMPLAINT_SUBJECT.test(subject.trim())
}

interface Context {
  readonly src: Source
  /** True when the input had no message header block: a paste of text or a fragment. */
  readonly fragment: boolean
}

/**
 * False when the text cannot hold an inline "Final-Recipient:"/"Original-Recipient:" field: the
 * lowered text (when it is all in the lowered head) lacks "recipient:". Spares the line-anchored,
 * case-insensitive search of the whole text for most messages without a delivery-status part.
 */
function mayHaveInlineDsn(lowered: LowerText): boolean {
  return lowered.text.length > LowerText.HEAD_CHARS || lowered.head.includes('recipient:')
}

/** Builds the result for one message node (the bounce itself, already chosen). */
export function analyze(
  ctx: Context,
  node: MessageNode,
  c: Collected,
  extraWarnings: ParseWarning[],
): { result: BounceResult; evidence: boolean } {
  const src = ctx.src
  const top = node.headers
  const warnings: ParseWarning[] = [...extraWarnings]
  const subject = clip(headerText(src, top, 'subject')) ?? ''
  const lowered = new LowerText(c.humanText)
  // DSN: the delivery-status part(s); else DSN fields written inline in the text (rfc3464-06).
  let dsn: Dsn | undefined
  if (c.dsnTexts.length > 0) {
    dsn = parseDsn(c.dsnTexts.join('\n\n'))
  } else if (mayHaveInlineDsn(lowered)) {
    const lower = c.humanText.slice(0, MAX_TEXT_CHARS)
    const fr = INLINE_DSN_RECIPIENT.exec(lower)
    if (fr && INLINE_DSN_STATUS.test(lower)) {
      const rm = INLINE_DSN_REPORTER.exec(lower)
      const start = rm && rm.index < fr.index ? rm.index : fr.index
      dsn = parseDsn(lower.slice(start))
    }
  }
  const facts = scanText(lowered)
  const evidence = hasBounceEvidence(node, c, facts, dsn)

  // Original message headers: attached part, else the inline section of the text.
  let original: Headers | undefined = node.attached[0]?.headers
  // Whether the original's header values are already text (a paste, or the inline section of the
  // decoded human-readable part) rather than raw bytes of the message (a binary string).
  let originalIsText = src.unicode
  if (!original && facts.originalAt !== undefined) {
    let start = facts.originalAt
    const text = c.humanText
    while (start < text.length && (text[start] === '\n' || text[start] === ' ')) start++
    const hb = parseHeaderBlock(
      { s: text, unicode: true },
      start,
      Math.min(text.length, start + 256 * 1024),
    )
    if (hb.fields > 0) {
      original = hb.headers
      originalIsText = true
    }
  }

  const topFrom = clip(headerText(src, top, 'from'))
  const result = (
    kind: BounceKind,
    recipients: RecipientResult[],
    extra: { notNdrReason?: NotNdrReason; layout: BounceLayout; category?: Category },
  ): BounceResult => {
    const origFrom = original
      ? cleanAddress(decodeEncodedWords(header(original, 'from') ?? '', originalIsText))
      : undefined
    const sender =
      kind === 'not-ndr'
        ? cleanAddress(topFrom)
        : (origFrom ??
          facts.sender ??
          cleanAddress(
            dsn?.message.get('x-postfix-sender') ??
              dsn?.message.get('x-symantec-messaging-gateway-sender'),
          ) ??
          (ctx.fragment ? undefined : cleanAddress(headerText(src, top, 'to'))))
    const r0 = recipients[0]
    // Every field in one literal, in the order of the result's keys (see Filled); an absent value
    // stays undefined.
    const out: Filled<BounceResult> = {
      kind,
      system: systemOf(top, lowered, dsn, extra.layout, facts.generatingServer),
      layout: extra.layout,
      recipients,
      category: extra.category ?? r0?.category ?? 'undefined',
      auth: authVerdicts(original),
      warnings,
      notNdrReason: extra.notNdrReason,
      language: clip(detectLanguage(lowered, header(top, 'content-language'), c.textAscii)),
      primaryStatus: clip(r0?.status),
      primaryReplyCode: clip(r0?.replyCode),
      sender: clip(sender),
      senderDomain: clip(domainOf(sender)),
      fromDomain: clip(domainOf(origFrom)),
      mailFromDomain: clip(mailFromDomainOf(original)),
      relayIp: clip(relayIpOf(original)),
      reportingMta: clip(stripType(dsn?.message.get('reporting-mta'))),
      generatingServer: clip(facts.generatingServer),
      receivedFromMta: clip(stripType(dsn?.message.get('received-from-mta'))),
      arrivalDate: clip(dsn?.message.get('arrival-date')),
      originalSubject: clip(
        original
          ? decodeEncodedWords(header(original, 'subject') ?? '', originalIsText)
          : facts.originalSubject,
      ),
      originalDate: clip(original ? asText(header(original, 'date'), originalIsText) : undefined),
      originalMessageId: clip(
        original ? asText(header(original, 'message-id'), originalIsText) : undefined,
      ),
      subject: clip(subject),
      date: clip(asText(header(top, 'date'), src.unicode)),
      from: clip(topFrom),
      messageId: clip(asText(header(top, 'message-id'), src.unicode)),
    }
    return out as BounceResult
  }

  if (isComplaint(node, c, subject)) {
    return {
      result: result('not-ndr', [], {
        notNdrReason: 'spam-complaint',
        layout: 'none',
        category: 'feedback',
      }),
      evidence: true,
    }
  }
  if (!evidence) {
    const anyCode = facts.recipients.some((r) => r.diags.length > 0) || facts.orphanDiags.length > 0
    if (!anyCode || !ctx.fragment) {
      let reason: NotNdrReason = 'ordinary'
      if (isAutoReply(top, subject)) reason = 'auto-reply'
      else if (ctx.fragment || c.humanText.trim() === '') reason = 'unreadable'
      return {
        result: result('not-ndr', [], {
          notNdrReason: reason,
          layout: 'none',
          category: reason === 'auto-reply' ? 'vacation' : 'undefined',
        }),
        evidence: false,
      }
    }
  }

  // Recipients: the DSN is authoritative; the text fills gaps.
  const textByAddr = new Map(facts.recipients.map((r) => [r.address.toLowerCase(), r]))
  const bestDiag = (diags: readonly Diag[]): Diag | undefined => {
    let best: Diag | undefined
    for (const d of diags) if (!best || d.prio < best.prio) best = d
    return best
  }
  const recipients: RecipientResult[] = []
  const build = (
    address: string | undefined,
    dsnFields: Map<string, string> | undefined,
    diags: readonly Diag[],
    remoteHint: string | undefined,
  ): RecipientResult => {
    const best = bestDiag(diags)
    const dsnStatusRaw = dsnFields?.get('status')
    const dsnStatus = dsnStatusRaw ? ENH.exec(dsnStatusRaw)?.[0] : undefined
    const dsnDiag = stripType(dsnFields?.get('diagnostic-code'))
    // "Status code: 550 5.1.10" is the most reliable code but says nothing else: show the fuller
    // "Reported error" / server reply for the same code when there is one.
    const tc = best ? diagCodes(best) : undefined
    const fuller =
      best?.prio === 1
        ? diags.find((d) => d.prio === 2 && diagCodes(d).status === tc?.status)
        : undefined
    const diagnostic = dsnDiag && dsnDiag.length > 0 ? dsnDiag : (fuller ?? best)?.text
    const dc = dsnDiag ? codesIn(dsnDiag) : undefined
    let status = dsnStatus
    const others = new Set<string>()
    const diagStatus = dc?.status ?? tc?.status
    if (!status) status = diagStatus
    else if (
      diagStatus &&
      diagStatus !== status &&
      diagStatus[0] === status[0] &&
      GENERIC_STATUS.test(status)
    ) {
      // RFC 3463 x.0.0 is "other/undefined": a specific code in the server's reply is more exact
      // (corpus lhost-sendmail-07: Status 5.0.0, reply "554 5.7.1 Relay access denied").
      others.add(status)
      status = diagStatus
      warnings.push({ code: 'statusFromDiagnostic', params: { status: diagStatus } })
    }
    if (dc) for (const o of dc.others) if (o !== status) others.add(o)
    if (tc) for (const o of tc.others) if (o !== status) others.add(o)
    if (best) {
      for (const d of diags) {
        if (d.prio > Math.max(best.prio, 2)) continue
        const cs = diagCodes(d).status
        if (cs && cs !== status) others.add(cs)
      }
    }
    if (dsnStatus && diagStatus && diagStatus !== status) others.add(diagStatus)
    const replyCode = dc?.replyCode ?? tc?.replyCode
    const actionField = dsnFields?.get('action')
    const action =
      actionField === undefined ? undefined : untilSpace(actionField.toLowerCase(), '(;')
    const remote = stripType(dsnFields?.get('remote-mta')) ?? best?.remote ?? remoteHint
    const diagText = [diagnostic ?? '', ...diags.slice(0, 8).map((d) => d.text)].join(' ')
    const component = COMPONENT.exec(diagText)?.[1]
    const asTag = AS_TAG.exec(diagText)?.[1]
    // Every field in one literal, in the order of the keys (see Filled).
    const r: Filled<RecipientResult> = {
      otherStatuses: [...others].slice(0, 16),
      category: categorize(status, diagnostic ?? (tc ? best?.text : undefined)),
      address: clip(address),
      status: clip(status),
      replyCode: clip(replyCode),
      action: clip(action),
      diagnostic: clip(diagnostic),
      remoteMta: clip(remote),
      component: clip(component),
      asTag: asTag ? clip(`AS(${asTag})`) : undefined,
    }
    return r as RecipientResult
  }

  if (dsn && dsn.recipients.length > 0) {
    for (const dr of dsn.recipients) {
      const addr =
        cleanAddress(dr.fields.get('final-recipient')) ??
        cleanAddress(dr.fields.get('original-recipient'))
      const tr = addr ? textByAddr.get(addr.toLowerCase()) : undefined
      const diags = tr
        ? tr.diags
        : dsn.recipients.length === 1
          ? [...facts.orphanDiags, ...facts.recipients.flatMap((r) => r.diags)]
          : []
      recipients.push(build(addr, dr.fields, diags, tr?.remote ?? facts.receivingServer))
    }
  } else {
    const withDiag = facts.recipients.filter((r) => r.diags.length > 0)
    const list = withDiag.length > 0 ? withDiag : facts.recipients
    const xfr = header(top, 'x-failed-recipients')
    if (list.length === 0 && xfr) {
      for (const a of xfr.split(',').slice(0, MAX_RECIPIENTS)) {
        const addr = cleanAddress(a)
        if (addr) recipients.push(build(addr, undefined, facts.orphanDiags, facts.receivingServer))
      }
    }
    for (const r of list) {
      const diags = r.diags.length > 0 ? r.diags : list.length === 1 ? facts.orphanDiags : []
      recipients.push(build(r.address, undefined, diags, r.remote ?? facts.receivingServer))
    }
    if (recipients.length === 0 && facts.orphanDiags.length > 0) {
      recipients.push(build(undefined, undefined, facts.orphanDiags, facts.receivingServer))
    }
  }

  // Kind: delayed notices (RFC 3464 Action: delayed; or only 4.x.x codes and delay wording).
  const actions = recipients.map((r) => r.action).filter((a): a is string => !!a)
  const statuses = recipients.map((r) => r.status).filter((s): s is string => !!s)
  let kind: BounceKind = 'ndr'
  if (actions.length > 0) {
    if (actions.every((a) => a === 'delayed')) kind = 'delay'
  } else if (statuses.length > 0 && statuses.every((s) => s.startsWith('4.'))) {
    if (!facts.wording.finalWords || facts.wording.delayWords) kind = 'delay'
  } else if (statuses.length === 0 && !facts.wording.finalWords && facts.wording.delayWords)
    kind = 'delay'

  let layout: BounceLayout =
    facts.layout ?? (dsn ? 'dsn' : ctx.fragment ? 'fragment' : 'plain-text')
  if (ctx.fragment && !facts.layout && recipients.every((r) => !r.address)) layout = 'fragment'

  for (const r of recipients) {
    if (r.status && r.replyCode && r.status[0] !== r.replyCode[0]) {
      warnings.push({
        code: 'statusReplyMismatch',
        params: { status: r.status, replyCode: r.replyCode },
      })
      break
    }
  }
  const several = recipients.find((r) => r.otherStatuses.length > 0)
  if (several && several.status)
    warnings.push({
      code: 'severalCodes',
      params: { codes: [several.status, ...several.otherStatuses].join(', ') },
    })
  if (statuses.length === 0) warnings.push({ code: 'noStatus' })
  if (recipients.every((r) => !r.address)) warnings.push({ code: 'noRecipient' })
  if (facts.unclosedQuote || node.truncated) warnings.push({ code: 'truncated' })
  if (c.charsetUnknown) warnings.push({ code: 'charsetUnknown' })
  if (c.textCapped) warnings.push({ code: 'textCapped', params: { limit: MAX_TEXT_CHARS } })

  return { result: result(kind, recipients, { layout }), evidence }
}

/**
 * A header value as text: raw 8-bit bytes of a byte source are decoded like any raw header (UTF-8,
 * else windows-1252), so a value reads the same whichever binary-string form the bytes came in
 * (the CLI hands the engine Latin-1 strings; session 3's property tests found Date and Message-ID
 * copied through as C1 control chars that way).
 */
function asText(v: string | undefined, isText: boolean): string | undefined {
  return v === undefined || isText ? v : decodeRaw8bit(v)
}
