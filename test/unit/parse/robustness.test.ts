// Bad input (issue 3 "Bad input", reliability.md §5): every entry point is total and bounded.
// The fast-check properties of every entry point (100,000 runs each) are in
// test/unit/security/properties.test.ts, shared with `npm run fuzz`; the hostile-file corpus with its
// timings is test/unit/security/hostile-files.test.ts. The builders below come from that corpus.
import { describe, expect, test } from 'vitest'
import { MAX_INPUT_BYTES, parseBounce } from '../../../main/core/parse/index'
import type { ParseOutcome } from '../../../main/core/parse/types'
import { checkParseOutcome as checkOutcome } from '../../support/properties'
import {
  bigHeader,
  bigText,
  deepMime,
  longLine,
  manyParts,
  randomBytes,
} from '../security/hostile-files'

const BOUNCE = `Remote Server returned '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains'`

describe('properties', () => {
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
    const { out, ms } = timed(() =>
      parseBounce(new TextEncoder().encode(bigText(25 * 1024 * 1024))),
    )
    checkOutcome(out)
    expect(ms).toBeLessThan(5000)
  })

  test('more than the input cap is refused before any work', () => {
    const { out, ms } = timed(() => parseBounce(new Uint8Array(MAX_INPUT_BYTES + 1)))
    expect(out.ok ? 'ok' : out.error.code).toBe('tooLarge')
    expect(ms).toBeLessThan(200)
  })

  test('100,000 MIME parts', () => {
    const { out, ms } = timed(() => parseBounce(manyParts(100_000)))
    expect(out.ok ? 'ok' : out.error.code).toBe('tooManyParts')
    expect(ms).toBeLessThan(1000)
  })

  test('a 3 MB header', () => {
    const { out, ms } = timed(() => parseBounce(bigHeader(3 * 1024 * 1024)))
    expect(out.ok ? 'ok' : out.error.code).toBe('headerTooLarge')
    expect(ms).toBeLessThan(1000)
  })

  test('10,000-deep nesting', () => {
    const { out, ms } = timed(() => parseBounce(deepMime(10_000)))
    expect(out.ok ? 'ok' : out.error.code).toBe('tooDeep')
    expect(ms).toBeLessThan(1000)
  })

  test('1 MB of random bytes', () => {
    const { out, ms } = timed(() => parseBounce(randomBytes(1024 * 1024)))
    checkOutcome(out)
    expect(ms).toBeLessThan(1000)
  })

  test('a 1 MB single line with codes (regexes only see capped lines)', () => {
    const { out, ms } = timed(() => parseBounce(longLine(1_200_000)))
    checkOutcome(out)
    expect(ms).toBeLessThan(1000)
  })

  test('pasted binary junk is refused like binary bytes; text with a few control chars is not', () => {
    const junk = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(
      '',
    )
    const code = (o: ParseOutcome): string => (o.ok ? 'ok' : o.error.code)
    expect(code(parseBounce(junk))).toBe('binary')
    // A binary file opened in an editor and copied: U+FFFD for every invalid byte.
    expect(code(parseBounce(`${BOUNCE}\n${'\ufffd'.repeat(40)}PK\u0003\u0004`))).toBe('binary')
    // Under 5 % (a form feed, a NUL, ISO-2022-JP escapes): still read as a bounce.
    const jis = '\u001b$B%a%C%;!<%8\u001b(B'
    const fine = parseBounce(`${BOUNCE}\f\u0000\n${jis}\n`)
    expect(fine).toMatchObject({ ok: true, messages: [{ recipients: [{ status: '5.7.750' }] }] })
  })

  test('non-string, non-bytes input is a typed error, not a throw', () => {
    expect(parseBounce(42 as unknown as string).ok).toBe(false)
    expect(parseBounce(null as unknown as string).ok).toBe(false)
  })
})
