// Finding the facts in one message: the machine-readable report (RFC 3464) first, then the
// human-readable text in any of the layouts of domain brief §2.2/§2.6, then partial pastes.
// Every regular expression here runs on one line capped at MAX_LINE_CHARS (reliability.md §4.6).

import { anyOf, categorize } from './category'
import { decodeEncodedWords } from './decode'
import {
  MAX_FIELD_CHARS,
  MAX_LINE_CHARS,
  MAX_LINES,
  MAX_RECIPIENTS,
  MAX_TEXT_CHARS,
} from './limits'
import type { Headers, MessageNode, Source } from './mime'
import { decodeLeaf, header, headersAll, parseHeaderBlock } from './mime'
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
  v = v.trim().replace(/^["']|["']$/g, '')
  if (v.length > 320) return undefined
  ADDR_G.lastIndex = 0
  const m = ADDR_G.exec(v)
  ADDR_G.lastIndex = 0
  return m ? m[0].replace(/\.$/, '') : v.includes('@') ? undefined : undefined
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
  if (semi > 0 && semi < 16 && /^[\w-]+$/.test(v.slice(0, semi).trim()))
    return v.slice(semi + 1).trim()
  return v.trim()
}

interface CodeInfo {
  readonly status?: string
  readonly replyCode?: string
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
    const lr = LEADING_REPLY.exec(head.replace(/^[\s#(<'"]+/, ''))
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
  const out: { status?: string; replyCode?: string; others: string[] } = { others }
  if (status) out.status = status
  if (replyCode) out.replyCode = replyCode
  return out
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

function parseFieldGroup(lines: readonly string[]): Map<string, string> {
  const m = new Map<string, string>()
  let cur = ''
  for (const raw of lines) {
    const line = raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw
    if ((line.startsWith(' ') || line.startsWith('\t')) && cur) {
      const prev = m.get(cur) ?? ''
      if (prev.length < MAX_LINE_CHARS) m.set(cur, prev + ' ' + line.trim())
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0 || colon > 60) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!/^[\w-]+$/.test(name)) continue
    cur = name
    if (!m.has(name)) m.set(name, line.slice(colon + 1).trim())
  }
  return m
}

/** Parses the per-message and per-recipient groups of a delivery-status body (RFC 3464 §2). */
export function parseDsn(text: string): Dsn {
  const message = new Map<string, string>()
  const recipients: DsnRecipient[] = []
  const lines = text.split('\n', MAX_LINES)
  let group: string[] = []
  const flush = (): void => {
    if (group.length === 0) return
    const f = parseFieldGroup(group)
    group = []
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
  for (const line of lines) {
    if (line.trim() === '') flush()
    else group.push(line)
  }
  flush()
  return { message, recipients }
}

// ---------------------------------------------------------------------------------------------
// Human-readable text

interface Diag {
  readonly text: string
  /** 1 = labelled status (`Status code:`), 2 = quoted server reply, 3 = other line with codes,
   * 4 = line starting with a reply code only, 5 = a code mentioned in prose. */
  readonly prio: number
  readonly remote?: string
}

interface TextRecipient {
  readonly address: string
  diags: Diag[]
  remote?: string | undefined
}

interface TextFacts {
  readonly recipients: TextRecipient[]
  readonly orphanDiags: Diag[]
  generatingServer?: string | undefined
  receivingServer?: string | undefined
  sender?: string | undefined
  originalSubject?: string | undefined
  layout?: BounceLayout | undefined
  /** Offset in the text where the returned original's headers start, if inline. */
  originalAt?: number | undefined
  unclosedQuote: boolean
  ndrPhrase: boolean
  finalWords: boolean
  delayWords: boolean
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

function lineMarkers(lower: string): { gen: boolean } {
  return { gen: GEN_LABELS.some((l) => lower.startsWith(l)) }
}

function afterColon(line: string): string {
  const i = line.indexOf(':')
  return i >= 0 ? line.slice(i + 1).trim() : ''
}

function firstToken(s: string): string | undefined {
  const t = s.trim().split(/[\s([]/, 1)[0]
  return t ? t.replace(/[.,;:'"]+$/, '') : undefined
}

/** If the line is just an address (in the shapes NDRs list recipients), returns it and the rest. */
function addressLine(trimmed: string): { address: string; rest: string } | undefined {
  if (trimmed.length > 400) return undefined
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
  for (const stop of ['<mailto:', ' (', '(', ' on ']) {
    const i = trimmed.indexOf(stop)
    if (i > 0 && i < end) end = i
  }
  let cand = trimmed.slice(0, end).trim()
  if (cand.endsWith(':')) cand = cand.slice(0, -1)
  if (!ADDR_ONLY.test(cand)) return undefined
  return { address: cand, rest: '' }
}

/** Scans the human-readable text of a bounce (or a paste) for recipients and diagnostics. */
export function scanText(text: string): TextFacts {
  const facts: TextFacts = {
    recipients: [],
    orphanDiags: [],
    unclosedQuote: false,
    ndrPhrase: false,
    finalWords: false,
    delayWords: false,
  }
  const byAddr = new Map<string, TextRecipient>()
  let current: TextRecipient | undefined
  const t = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text
  const lowerAll = t.slice(0, 20000).toLowerCase()
  facts.finalWords = FINAL_RE.test(lowerAll)
  facts.ndrPhrase = NDR_RE.test(lowerAll)
  facts.delayWords = DELAY_RE.test(lowerAll)
  if (
    lowerAll.includes('more info for email admins') ||
    lowerAll.includes('original message details')
  )
    facts.layout = 'exchange-enhanced'
  else if (lowerAll.includes('rejected your message to the following'))
    facts.layout = 'exchange-rejected'
  else if (
    lowerAll.includes('diagnostic information for administrators') ||
    lowerAll.includes('informations de diagnostic pour les administrateurs') ||
    lowerAll.includes('informazioni di diagnostica per gli amministratori') ||
    lowerAll.includes('管理者向けの診断情報') ||
    lowerAll.includes('delivery has failed to these recipients') ||
    lowerAll.includes('remote server returned')
  )
    facts.layout = 'exchange-classic'

  const lines: string[] = []
  const offsets: number[] = []
  {
    let pos = 0
    while (pos <= t.length && lines.length < MAX_LINES) {
      let nl = t.indexOf('\n', pos)
      if (nl < 0) nl = t.length
      offsets.push(pos)
      lines.push(t.slice(pos, Math.min(nl, pos + MAX_LINE_CHARS)))
      if (nl >= t.length) break
      pos = nl + 1
    }
  }
  const touch = (addr: string): TextRecipient => {
    const key = addr.toLowerCase()
    let r = byAddr.get(key)
    if (!r) {
      r = { address: addr, diags: [] }
      if (byAddr.size < MAX_RECIPIENTS) {
        byAddr.set(key, r)
        facts.recipients.push(r)
      }
    }
    return r
  }
  const addDiag = (d: Diag): void => {
    if (current) {
      if (current.diags.length < 32) current.diags.push(d)
    } else if (facts.orphanDiags.length < 32) facts.orphanDiags.push(d)
  }
  /** Joins continuation lines (indented, or up to a closing quote) to a diagnostic. */
  const continuation = (start: number, first: string, untilQuote: boolean): [string, number] => {
    let text = first
    let i = start
    for (let k = 0; k < 8 && i + 1 < lines.length; k++) {
      if (untilQuote && text.trimEnd().endsWith("'")) break
      const next = lines[i + 1]!
      if (next.trim() === '') break
      if (!untilQuote) {
        if (!(next.startsWith(' ') || next.startsWith('\t'))) break
        if (/^\s*<?[\w.+-]+@[\w.-]+>?:?\s*$/.test(next)) break
      }
      text += (untilQuote ? '' : ' ') + (untilQuote ? next : next.trim())
      i++
    }
    return [text, i]
  }

  let remoteHostForNext: string | undefined
  let awaitingGaveError: string | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const trimmed = line.trim()
    if (!trimmed) continue
    const lower = trimmed.toLowerCase()
    const c0 = lower.charCodeAt(0)
    // END_MARKERS start with '-', 'e', 'i', 'm', 'o' or 'u': test only those lines.
    if (
      (c0 === 45 || c0 === 101 || c0 === 105 || c0 === 109 || c0 === 111 || c0 === 117) &&
      END_MARKERS.some((m) => lower.startsWith(m))
    ) {
      facts.originalAt = offsets[i + 1] ?? t.length
      break
    }
    if (c0 === 114 && i > 0 && /^(received|return-path): /i.test(line)) {
      facts.originalAt = offsets[i]
      break
    }
    if (lineMarkers(lower).gen) {
      facts.generatingServer ??= firstToken(afterColon(trimmed))
      continue
    }
    if (lower.startsWith('receiving server:') || lower.startsWith('remote server:')) {
      const host = firstToken(afterColon(trimmed))
      if (host) {
        facts.receivingServer ??= host
        if (current) current.remote ??= host
      }
      continue
    }
    if (lower.startsWith('sender address:')) {
      facts.sender ??= cleanAddress(afterColon(trimmed))
      continue
    }
    if (lower.startsWith('recipient address:')) {
      const a = cleanAddress(afterColon(trimmed))
      if (a) current = touch(a)
      continue
    }
    if (lower.startsWith('subject:') && facts.layout === 'exchange-enhanced') {
      facts.originalSubject ??= afterColon(trimmed)
      continue
    }
    {
      // Layout C headline "Your message to X couldn't be delivered."; Layout B "X rejected your message".
      const yi = lower.indexOf('your message to ')
      if (yi >= 0 && lower.includes('delivered')) {
        const a = cleanAddress(trimmed.slice(yi + 16).split(/\s/, 1)[0])
        if (a) current = touch(a)
        continue
      }
      const ri = lower.indexOf(' rejected your message to the following')
      if (ri > 0) {
        remoteHostForNext = firstToken(trimmed.slice(0, ri))
        continue
      }
      const gi = lower.indexOf(' gave this error:')
      if (gi > 0) {
        awaitingGaveError = firstToken(trimmed.slice(0, gi))
        continue
      }
    }
    {
      const rcpt = lower.indexOf('rcpt:')
      const rcptTo = rcpt >= 0 ? rcpt : lower.indexOf('rcpt to:')
      if (rcptTo >= 0) {
        const after = trimmed.slice(rcptTo + (rcpt >= 0 ? 5 : 8))
        const a = cleanAddress(after.split(/\s/, 1)[0])
        if (a) current = touch(a)
      }
    }
    {
      // "Delivery failed: addr", "Failed recipient: <addr>" (any label naming the recipient)
      const colon = trimmed.indexOf(':')
      if (colon > 0 && colon < 40) {
        const label = lower.slice(0, colon)
        if (
          ['recipient', 'failed', 'deliver', 'rcpt', 'destinat', 'empfänger'].some((k) =>
            label.includes(k),
          )
        ) {
          const rest = trimmed.slice(colon + 1).trim()
          const al2 = rest ? addressLine(rest) : undefined
          if (al2 && !al2.rest) {
            current = touch(al2.address)
            continue
          }
        }
      }
    }
    const al = addressLine(trimmed)
    if (al) {
      current = touch(al.address)
      if (remoteHostForNext) current.remote ??= remoteHostForNext
      if (!al.rest) {
        // Exchange 2003 style: the reason is written, indented, under the address, without a code.
        const next = lines[i + 1]
        if (
          next &&
          /^\s{2,}\S/.test(next) &&
          !/[245]\.\d{1,3}\.\d/.test(next) &&
          !ADDR_ONLY.test(next.trim())
        ) {
          const [joined] = continuation(i + 1, next.trim(), false)
          if (current.diags.length < 32) current.diags.push({ text: joined, prio: 6 })
        }
        continue
      }
      // Postfix: "<addr>: host X[ip] said: 550 5.1.1 ..." – fall through with the rest.
      const [joined, ni] = continuation(i, al.rest, false)
      i = ni
      handleDiagLine(joined, joined.toLowerCase(), undefined)
      continue
    }
    if (awaitingGaveError) {
      // Layout B: the remote server's own text, one line.
      awaitingGaveError = undefined
      const c = codesIn(trimmed)
      if (c.status || c.replyCode) addDiag({ text: trimmed, prio: 3 })
      continue
    }
    const hasDigit = /[245]\d\d|[245]\.\d/.test(trimmed)
    if (!hasDigit) continue
    const quoteStart = lower.indexOf("returned '")
    if (quoteStart >= 0 && lower.includes('remote server')) {
      const [joined, ni] = continuation(i, trimmed, true)
      i = ni
      const q = joined.indexOf("'", joined.toLowerCase().indexOf("returned '") + 9)
      let inner = joined.slice(q + 1)
      if (inner.trimEnd().endsWith("'")) inner = inner.trimEnd().slice(0, -1)
      else facts.unclosedQuote = true
      const at = joined.toLowerCase().indexOf('remote server at ')
      const remote =
        at >= 0 ? firstToken(joined.slice(at + 17)) : (current?.remote ?? remoteHostForNext)
      addDiag(remote ? { text: inner, prio: 2, remote } : { text: inner, prio: 2 })
      continue
    }
    i = handleDiagLine(trimmed, lower, i) ?? i
  }

  /** Records the diagnostic on this line; returns the index of the last line it consumed. */
  function handleDiagLine(
    trimmed: string,
    lower: string,
    idx: number | undefined,
  ): number | undefined {
    let consumed = idx
    const markerIdx = (() => {
      for (const m of [' said:', 'reason:', 'returned was:', 'said]:', ']:', 'error:']) {
        const k = lower.indexOf(m)
        if (k >= 0) return k + m.length
      }
      return -1
    })()
    if (trimmed.startsWith('<<<')) {
      const d = trimmed.slice(3).trim()
      if (/^503\b/.test(d)) return consumed // "Need RCPT command": a follow-on error, never the cause
      addDiag({ text: d, prio: 2 })
      return consumed
    }
    if (trimmed.startsWith('>>>')) return consumed // our side of an SMTP transcript
    let text = trimmed
    let prio = 3
    if (markerIdx >= 0) {
      text = trimmed.slice(markerIdx).trim()
      if (idx !== undefined) {
        const [joined, ni] = continuation(idx, text, false)
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
      addDiag({ text: text.slice(re.index).replace(/\s*##\s*$/, ''), prio })
      return consumed
    }
    if (markerIdx >= 0 && (ENH.test(text) || LEADING_REPLY.test(text))) {
      addDiag({ text, prio: 2 })
      return consumed
    }
    const lead = trimmed.replace(/^[#(]+/, '')
    if (LEADING_REPLY.test(lead)) {
      addDiag({ text: lead, prio: ENH.test(lead) ? 3 : 4 })
      return idx
    }
    const e = ENH.exec(trimmed)
    if (e) addDiag({ text: trimmed.slice(e.index), prio: 5 })
    return idx
  }
  return facts
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
    const m = /smtp\.mailfrom=(?:"?[^\s;"@]{0,256}@)?([a-z0-9.-]{1,253})/i.exec(v.slice(0, 4096))
    if (m?.[1]) return m[1].toLowerCase().replace(/\.$/, '')
  }
  return undefined
}

/**
 * The server that gave the original message to EOP: Received headers are newest first (RFC 5321
 * §4.4), so the last one whose `by` is `*.mail.protection.outlook.com` is the entry hop.
 */
function relayIpOf(h: Headers | undefined): string | undefined {
  if (!h) return undefined
  let ip: string | undefined
  for (const v of headersAll(h, 'received').slice(0, 64)) {
    const line = v.slice(0, 2048)
    const by = /\bby\s+([a-z0-9.-]{1,253})/i.exec(line)?.[1]?.toLowerCase()
    if (!by?.endsWith('.mail.protection.outlook.com')) continue
    const from = line.slice(0, by ? line.toLowerCase().indexOf(' by ') : undefined)
    const m =
      /\[(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})\]/i.exec(from) ??
      /\((\d{1,3}(?:\.\d{1,3}){3})\)/.exec(from)
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
  const ar = [
    ...headersAll(h, 'authentication-results'),
    ...headersAll(h, 'arc-authentication-results'),
  ]
  for (const v of ar.slice(0, 8)) {
    const lower = v.slice(0, 4096).toLowerCase()
    out.spf ??= verdictAfter(lower, 'spf')
    out.dkim ??= verdictAfter(lower, 'dkim')
    out.dmarc ??= verdictAfter(lower, 'dmarc')
    out.compauth ??= verdictAfter(lower, 'compauth')
  }
  if (!out.spf) {
    const rs = header(h, 'received-spf')
    if (rs) {
      const w = rs
        .trim()
        .split(/[\s(;]/, 1)[0]
        ?.toLowerCase()
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
  text: string,
  dsn: Dsn | undefined,
  layout: BounceLayout,
  generatingServer: string | undefined,
): BounceSystem {
  const from = (header(top, 'from') ?? '').toLowerCase()
  const reporting = (dsn?.message.get('reporting-mta') ?? '').toLowerCase()
  const gen = (generatingServer ?? '').toLowerCase()
  const servers = `${reporting} ${gen}`
  const lowerText = text.slice(0, 8000).toLowerCase()
  const isNdrHeader = top.some(([n]) => n === 'x-ms-exchange-message-is-ndr')
  const exchangeLayout = layout.startsWith('exchange-')
  if (/(?:\.prod\.outlook\.com|\.protection\.outlook\.com|\.prod\.exchangelabs\.com)/.test(servers))
    return 'exchange-online'
  if (
    (isNdrHeader || exchangeLayout) &&
    (from.includes('.onmicrosoft.com') ||
      lowerText.includes('office 365') ||
      lowerText.includes('microsoft 365'))
  )
    return 'exchange-online'
  if (
    /\b(?:hotmail|outlook|live|msn)\.[a-z.]+/.test(from) ||
    /hotmail|\.outlook\.com/.test(reporting)
  )
    return 'outlook-com'
  if (isNdrHeader || exchangeLayout) return 'exchange-server'
  const received = headersAll(top, 'received').join(' ').toLowerCase()
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
    /\(postfix\)/.test(received.slice(0, 400))
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
    received.includes('internet mail service') ||
    header(top, 'x-mailer')?.toLowerCase().includes('internet mail service') ||
    top.some(([n]) => n === 'x-ms-embedded-report')
  )
    return 'exchange-server'
  if (dsn && dsn.recipients.length > 0) return 'rfc3464'
  return 'unknown'
}

const TRAD =
  '們這個無來對時會過國說與從為將體發還開關頭點應實現當樣麼經書請電話網際郵傳遞訊息認證處員戶內單誤達態'
const SIMP =
  '们这个无来对时会过国说与从为将体发还开关头点应实现当样么经书请电话网际邮传递讯息认证处员户内单误达态'

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

/** Language of the human-readable part: script first, then Content-Language, then keywords. */
export function detectLanguage(
  text: string,
  contentLanguage: string | undefined,
): string | undefined {
  const sample = text.length > 12000 ? text.slice(0, 12000) : text
  if (!/[^\t\n\r\x20-\x7e]/.test(sample)) return latinLanguage(sample, contentLanguage)
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
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f)
    if (letter) {
      if (!inWord) words++
      inWord = true
      continue
    }
    inWord = false
    if (c < 0x400) continue
    if (c >= 0x3040 && c <= 0x30ff) kana++
    else if (c >= 0x4e00 && c <= 0x9fff) {
      han++
      const ch = sample[i]!
      if (TRAD.includes(ch)) trad++
      else if (SIMP.includes(ch)) simp++
    } else if (c >= 0xac00 && c <= 0xd7af) hangul++
    else if (c >= 0x400 && c <= 0x4ff) cyr++
  }
  const cjkThreshold = Math.max(8, words * 0.15)
  if (kana + han >= cjkThreshold && kana >= 3) return 'ja'
  if (han >= cjkThreshold) return trad >= simp ? 'zh-TW' : 'zh-CN'
  if (hangul >= cjkThreshold) return 'ko'
  if (cyr >= Math.max(20, words)) return 'ru'
  if (words < 3 && !contentLanguage) return undefined
  return latinLanguage(sample, contentLanguage)
}

function latinLanguage(sample: string, contentLanguage: string | undefined): string | undefined {
  if (contentLanguage) {
    const m = mapLanguageTag(contentLanguage)
    if (m) return m
  }
  const lower = (sample.length > 6000 ? sample.slice(0, 6000) : sample).toLowerCase()
  if (!/[a-z]{2,}\W+[a-z]{2,}\W+[a-z]{2,}/.test(lower.slice(0, 2000))) return undefined
  let best: string | undefined
  let bestScore = 0
  for (const [lang, kws, any] of LATIN_KEYWORDS_RE) {
    // One scan tells whether any keyword of the language is there; most texts have none.
    if (!any.test(lower)) continue
    let score = 0
    for (const k of kws) if (lower.includes(k)) score += lang === 'en' ? 1 : 3
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
}

/** Decodes the parts of one message node that the engine reads. */
export function collect(src: Source, node: MessageNode): Collected {
  const plain: string[] = []
  const html: string[] = []
  const dsnTexts: string[] = []
  let feedback = false
  let charsetUnknown = false
  let textCapped = false
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
    else plain.push(text)
  }
  const humanText = plain.length > 0 ? plain.join('\n\n') : html.map(htmlToText).join('\n\n')
  return { humanText, dsnTexts, feedback, charsetUnknown, textCapped }
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
    .replace(/[ \t]+\n/g, '\n')
}

function hasBounceEvidence(
  node: MessageNode,
  c: Collected,
  facts: TextFacts,
  dsn: Dsn | undefined,
): boolean {
  if (dsn && dsn.recipients.length > 0) return true
  if (
    node.headers.some(([n]) => n === 'x-ms-exchange-message-is-ndr' || n === 'x-failed-recipients')
  )
    return true
  const best = Math.min(
    ...facts.recipients.flatMap((r) => r.diags.map((d) => d.prio)),
    ...facts.orphanDiags.map((d) => d.prio),
    9,
  )
  if (best <= 3) return true
  if (facts.ndrPhrase && (facts.recipients.length > 0 || best <= 4)) return true
  if (node.headers.some(([n]) => n === 'x-ms-embedded-report') && facts.recipients.length > 0)
    return true
  const ct = node.ct
  if (
    ct.type === 'multipart/report' &&
    (ct.params['report-type'] ?? '').toLowerCase().includes('delivery-status')
  )
    return true
  return best <= 4 && facts.finalWords && c.humanText.length > 0
}

function isAutoReply(h: Headers, subject: string): boolean {
  const as = (header(h, 'auto-submitted') ?? '').toLowerCase()
  if (as.startsWith('auto-replied')) return true
  if (h.some(([n]) => n === 'x-autoreply' || n === 'x-autorespond' || n === 'x-auto-response'))
    return true
  const prec = (header(h, 'precedence') ?? '').toLowerCase()
  if (prec.includes('auto_reply')) return true
  return /^(?:automatic reply|auto(?:matic)?[ -]?(?:reply|response)|out of (?:the )?office|réponse automatique|risposta automatica|abwesenheitsnotiz|自動応答|自動返信|自動回覆|自动回复)/i.test(
    subject.trim(),
  )
}

function isComplaint(node: MessageNode, c: Collected, subject: string): boolean {
  if (c.feedback) return true
  const rt = (node.ct.params['report-type'] ?? '').toLowerCase()
  if (rt === 'feedback-report') return true
  // Hotmail's complaint format (JMRP): the reported message carries X-HmXmrOriginalRecipient.
  if (node.attached.some((a) => a.headers.some(([n]) => n === 'x-hmxmroriginalrecipient')))
    return true
  return /^complaint about message from/i.test(subject.trim())
}

interface Context {
  readonly src: Source
  /** True when the input had no message header block: a paste of text or a fragment. */
  readonly fragment: boolean
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
  const subject = clip(headerDecoded(src, top, 'subject')) ?? ''
  // DSN: the delivery-status part(s); else DSN fields written inline in the text (rfc3464-06).
  let dsn: Dsn | undefined
  if (c.dsnTexts.length > 0) {
    dsn = parseDsn(c.dsnTexts.join('\n\n'))
  } else {
    const lower = c.humanText.slice(0, MAX_TEXT_CHARS)
    const fr = /^(?:final-recipient|original-recipient):/im.exec(lower)
    if (fr && /^status:\s*[245]\./im.test(lower)) {
      const rm = /^reporting-mta:/im.exec(lower)
      const start = rm && rm.index < fr.index ? rm.index : fr.index
      dsn = parseDsn(lower.slice(start))
    }
  }
  const facts = scanText(c.humanText)
  const evidence = hasBounceEvidence(node, c, facts, dsn)

  // Original message headers: attached part, else the inline section of the text.
  let original: Headers | undefined = node.attached[0]?.headers
  if (!original && facts.originalAt !== undefined) {
    let start = facts.originalAt
    const text = c.humanText
    while (start < text.length && (text[start] === '\n' || text[start] === ' ')) start++
    const hb = parseHeaderBlock(
      { s: text, unicode: true },
      start,
      Math.min(text.length, start + 256 * 1024),
    )
    if (hb.headers.length > 0) original = hb.headers
  }

  const topFrom = clip(headerDecoded(src, top, 'from'))
  const result = (
    kind: BounceKind,
    recipients: RecipientResult[],
    extra: { notNdrReason?: NotNdrReason; layout: BounceLayout; category?: Category },
  ): BounceResult => {
    const origFrom = original
      ? cleanAddress(decodeEncodedWords(header(original, 'from') ?? '', true))
      : undefined
    const dsnSender = cleanAddress(
      dsn?.message.get('x-postfix-sender') ??
        dsn?.message.get('x-symantec-messaging-gateway-sender'),
    )
    const toAddr = ctx.fragment ? undefined : cleanAddress(headerDecoded(src, top, 'to'))
    const sender =
      kind === 'not-ndr' ? cleanAddress(topFrom) : (origFrom ?? facts.sender ?? dsnSender ?? toAddr)
    const r0 = recipients[0]
    const out: Record<string, unknown> = {
      kind,
      system:
        kind === 'not-ndr'
          ? systemOf(top, c.humanText, dsn, extra.layout, facts.generatingServer)
          : systemOf(top, c.humanText, dsn, extra.layout, facts.generatingServer),
      layout: extra.layout,
      recipients,
      category: extra.category ?? r0?.category ?? 'undefined',
      auth: authVerdicts(original),
      warnings,
    }
    const set = (k: string, v: string | undefined): void => {
      const cv = clip(v)
      if (cv !== undefined) out[k] = cv
    }
    if (extra.notNdrReason) out['notNdrReason'] = extra.notNdrReason
    set('language', detectLanguage(c.humanText, header(top, 'content-language')))
    set('primaryStatus', r0?.status)
    set('primaryReplyCode', r0?.replyCode)
    set('sender', sender)
    set('senderDomain', domainOf(sender))
    set('fromDomain', domainOf(origFrom))
    set('mailFromDomain', mailFromDomainOf(original))
    set('relayIp', relayIpOf(original))
    set('reportingMta', stripType(dsn?.message.get('reporting-mta')))
    set('generatingServer', facts.generatingServer)
    set('receivedFromMta', stripType(dsn?.message.get('received-from-mta')))
    set('arrivalDate', dsn?.message.get('arrival-date'))
    set(
      'originalSubject',
      original
        ? decodeEncodedWords(header(original, 'subject') ?? '', true)
        : facts.originalSubject,
    )
    set('originalDate', original ? header(original, 'date') : undefined)
    set('originalMessageId', original ? header(original, 'message-id') : undefined)
    set('subject', subject)
    set('date', header(top, 'date'))
    set('from', topFrom)
    set('messageId', header(top, 'message-id'))
    return out as unknown as BounceResult
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
    const fuller =
      best?.prio === 1
        ? diags.find((d) => d.prio === 2 && codesIn(d.text).status === codesIn(best.text).status)
        : undefined
    const diagnostic = dsnDiag && dsnDiag.length > 0 ? dsnDiag : (fuller ?? best)?.text
    const dc = dsnDiag ? codesIn(dsnDiag) : undefined
    const tc = best ? codesIn(best.text) : undefined
    let status = dsnStatus
    const others = new Set<string>()
    const diagStatus = dc?.status ?? tc?.status
    if (!status) status = diagStatus
    else if (
      diagStatus &&
      diagStatus !== status &&
      diagStatus[0] === status[0] &&
      /\.0\.0$/.test(status)
    ) {
      // RFC 3463 x.0.0 is "other/undefined": a specific code in the server's reply is more exact
      // (corpus lhost-sendmail-07: Status 5.0.0, reply "554 5.7.1 Relay access denied").
      others.add(status)
      status = diagStatus
      warnings.push({ code: 'statusFromDiagnostic', params: { status: diagStatus } })
    }
    for (const o of [...(dc?.others ?? []), ...(tc?.others ?? [])]) if (o !== status) others.add(o)
    if (best) {
      for (const d of diags) {
        if (d.prio > Math.max(best.prio, 2)) continue
        const cs = codesIn(d.text).status
        if (cs && cs !== status) others.add(cs)
      }
    }
    if (dsnStatus && diagStatus && diagStatus !== status) others.add(diagStatus)
    const replyCode = dc?.replyCode ?? tc?.replyCode
    const action = dsnFields
      ?.get('action')
      ?.toLowerCase()
      .split(/[\s(;]/, 1)[0]
    const remote = stripType(dsnFields?.get('remote-mta')) ?? best?.remote ?? remoteHint
    const diagText = [diagnostic ?? '', ...diags.slice(0, 8).map((d) => d.text)].join(' ')
    const component = /\b((?:RESOLVER|STOREDRV|QUEUE|SMTPSEND|APPROVAL|ROUTING)\.[\w.]{2,80})/.exec(
      diagText,
    )?.[1]
    const asTag = /\bAS\(?(\d{3,12})\)?/.exec(diagText)?.[1]
    const r: Record<string, unknown> = {
      otherStatuses: [...others].slice(0, 16),
      category: categorize(status, diagnostic ?? (tc ? best?.text : undefined)),
    }
    const set = (k: string, v: string | undefined): void => {
      const cv = clip(v)
      if (cv !== undefined) r[k] = cv
    }
    set('address', address)
    set('status', status)
    set('replyCode', replyCode)
    set('action', action)
    set('diagnostic', diagnostic)
    set('remoteMta', remote)
    set('component', component)
    if (asTag) set('asTag', `AS(${asTag})`)
    return r as unknown as RecipientResult
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
    if (facts.delayWords || !facts.finalWords) kind = 'delay'
  } else if (statuses.length === 0 && facts.delayWords && !facts.finalWords) kind = 'delay'

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

function headerDecoded(src: Source, h: Headers, name: string): string | undefined {
  const v = header(h, name)
  return v === undefined ? undefined : decodeEncodedWords(v, src.unicode)
}
