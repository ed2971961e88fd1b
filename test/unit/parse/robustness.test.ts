// Bad input (issue 3 "Bad input", reliability.md §5): every entry point is total and bounded.
// NDR_FUZZ_RUNS sets the total number of fast-check runs (default 100,000, split across entry points).
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  MAX_FIELD_CHARS,
  MAX_INPUT_BYTES,
  MboxSplitter,
  PARSE_ERROR_CODES,
  firstEnhancedStatus,
  parseBounce,
  parseMessage,
} from '../../../main/core/parse/index'
import type { ParseOutcome } from '../../../main/core/parse/types'

const TOTAL = Number(process.env['NDR_FUZZ_RUNS'] ?? 100_000)
const share = (f: number): number => Math.max(10, Math.floor(TOTAL * f))

function checkOutcome(out: ParseOutcome): void {
  expect(typeof out).toBe('object')
  if (!out.ok) {
    expect(PARSE_ERROR_CODES).toContain(out.error.code)
    return
  }
  expect(out.messages.length).toBeGreaterThan(0)
  for (const m of out.messages) {
    expect(['ndr', 'delay', 'not-ndr']).toContain(m.kind)
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') expect(v.length, k).toBeLessThanOrEqual(MAX_FIELD_CHARS)
    }
    for (const r of m.recipients)
      for (const v of Object.values(r))
        if (typeof v === 'string') expect(v.length).toBeLessThanOrEqual(MAX_FIELD_CHARS)
    expect(Object.prototype.hasOwnProperty.call(m, '__proto__')).toBe(false)
  }
}

const token = fc.oneof(
  fc.constantFrom(
    'From: a@example.com\n',
    'Subject: =?iso-2022-jp?B?GyRCR1s/LklURz0bKEI=?=\n',
    'Subject: =?utf-8?Q?caf=C3=A9?=\n',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n',
    'Content-Type: multipart/mixed; boundary=b\n',
    'Content-Type: message/delivery-status\n',
    'Content-Type: message/rfc822\n',
    'Content-Type: text/plain; charset=big5\n',
    'Content-Transfer-Encoding: base64\n',
    'Content-Transfer-Encoding: quoted-printable\n',
    '\n',
    '\r\n',
    '\r',
    '--b\n',
    '--b--\n',
    'Final-Recipient: rfc822;x@example.com\n',
    'Status: 5.1.1\n',
    'Action: failed\n',
    'Diagnostic-Code: smtp;550 5.7.750 blocked\n',
    "Remote Server returned '550 5.7.708 Access denied AS(7230)'\n",
    "Remote Server returned '",
    '#550 4.4.7 QUEUE.Expired; message expired ##\n',
    'Status code: 550 5.1.10\n',
    'Delivery has failed to these recipients or groups:\n',
    'Original message headers:\n',
    '<user@example.com>: host mx[1.2.3.4] said: 550\n    5.2.2 full\n',
    '=3D=\n',
    '=?',
    ' -> ',
    'From MAILER-DAEMON Thu Jan  1 00:00:00 2025\n',
    '<',
    '&#1114112;<br><style>',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
)
const emailish = fc.array(token, { maxLength: 60 }).map((a) => a.join(''))

describe('fast-check properties (never throws, bounded)', () => {
  test(`parseBounce(string): ${share(0.4)} runs`, () => {
    let worst = 0
    fc.assert(
      fc.property(emailish, (s) => {
        const t0 = performance.now()
        const out = parseBounce(s)
        worst = Math.max(worst, performance.now() - t0)
        checkOutcome(out)
      }),
      { numRuns: share(0.4) },
    )
    expect(worst).toBeLessThan(500)
  })

  test(`parseBounce(bytes) and parseMessage: ${share(0.3)} runs`, () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      emailish.map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)),
    )
    fc.assert(
      fc.property(bytes, fc.boolean(), (b, viaMessage) => {
        checkOutcome(viaMessage ? parseMessage(b) : parseBounce(b))
      }),
      { numRuns: share(0.3) },
    )
  })

  test(`firstEnhancedStatus: ${share(0.15)} runs`, () => {
    fc.assert(
      fc.property(fc.oneof(emailish, fc.string()), (s) => {
        const v = firstEnhancedStatus(s)
        if (v !== undefined) expect(v).toMatch(/^[245]\.\d{1,3}\.\d{1,3}$/)
      }),
      { numRuns: share(0.15) },
    )
  })

  test(`MboxSplitter: ${share(0.15)} runs, output is the input re-cut`, () => {
    fc.assert(
      fc.property(emailish, fc.integer({ min: 1, max: 64 }), (s, size) => {
        const bytes = Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)
        const sp = new MboxSplitter()
        let total = 0
        const take = (items: ReturnType<MboxSplitter['push']>): void => {
          for (const it of items) if (it.ok) total += it.message.length
        }
        for (let i = 0; i < bytes.length; i += size) take(sp.push(bytes.subarray(i, i + size)))
        take(sp.end())
        expect(total).toBeLessThanOrEqual(bytes.length)
      }),
      { numRuns: share(0.15) },
    )
  })

  test('metamorphic: CRLF and header folding do not change the code (reliability.md §5 #7)', () => {
    const base =
      "From: p@x.example\nSubject: Undeliverable:\n  test\nContent-Type: text/plain\n\nDelivery has failed to these recipients or groups:\n\nu@y.example\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'\n"
    const a = parseBounce(base)
    const b = parseBounce(base.replace(/\n/g, '\r\n'))
    expect(a).toEqual(b)
    expect(a.ok && a.messages[0]?.recipients[0]?.status).toBe('5.1.10')
  })
})

describe('pathological inputs return quickly (issue 3)', () => {
  const timed = (f: () => ParseOutcome): { out: ParseOutcome; ms: number } => {
    const t0 = performance.now()
    const out = f()
    return { out, ms: performance.now() - t0 }
  }

  test('25 MB of text', () => {
    const line = "lorem ipsum 550 5.7.750 dolor Remote Server returned '550 5.7.1 x'\n"
    const s = line.repeat(Math.ceil((25 * 1024 * 1024) / line.length))
    const { out, ms } = timed(() => parseBounce(new TextEncoder().encode(s)))
    checkOutcome(out)
    expect(ms).toBeLessThan(5000)
  })

  test('more than the input cap is refused before any work', () => {
    const { out, ms } = timed(() => parseBounce(new Uint8Array(MAX_INPUT_BYTES + 1)))
    expect(out.ok ? 'ok' : out.error.code).toBe('tooLarge')
    expect(ms).toBeLessThan(200)
  })

  test('100,000 MIME parts', () => {
    const s =
      'From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n' +
      '--b\n\nx\n'.repeat(100_000) +
      '--b--\n'
    const { out, ms } = timed(() => parseBounce(s))
    expect(out.ok ? 'ok' : out.error.code).toBe('tooManyParts')
    expect(ms).toBeLessThan(1000)
  })

  test('a 3 MB header', () => {
    const s = 'From: a@b.example\nX-Big: ' + 'a'.repeat(3 * 1024 * 1024) + '\n\nbody\n'
    const { out, ms } = timed(() => parseBounce(s))
    expect(out.ok ? 'ok' : out.error.code).toBe('headerTooLarge')
    expect(ms).toBeLessThan(1000)
  })

  test('10,000-deep nesting', () => {
    let s = ''
    for (let i = 0; i < 10_000; i++)
      s += `Content-Type: multipart/mixed; boundary=x${i}x\n\n--x${i}x\n`
    const { out, ms } = timed(() => parseBounce('From: a@b.example\n' + s))
    expect(out.ok ? 'ok' : out.error.code).toBe('tooDeep')
    expect(ms).toBeLessThan(1000)
  })

  test('1 MB of random bytes', () => {
    const b = new Uint8Array(1024 * 1024)
    let x = 12345
    for (let i = 0; i < b.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff
      b[i] = x >> 16
    }
    const { out, ms } = timed(() => parseBounce(b))
    checkOutcome(out)
    expect(ms).toBeLessThan(1000)
  })

  test('a 1 MB single line with codes (regexes only see capped lines)', () => {
    const s = 'From: a@b.example\n\n' + '5.5.5.'.repeat(200_000) + ' 550 5.1.1 x'
    const { out, ms } = timed(() => parseBounce(s))
    checkOutcome(out)
    expect(ms).toBeLessThan(1000)
  })

  test('non-string, non-bytes input is a typed error, not a throw', () => {
    expect(parseBounce(42 as unknown as string).ok).toBe(false)
    expect(parseBounce(null as unknown as string).ok).toBe(false)
  })
})
