// The parse speed paths of commits 4606de2 and cc05523 ("parse speed", "looksBinary in its own
// module") give exactly what the straightforward computation gives: the word-at-a-time binary check,
// the separator finders of the streaming mbox splitter (portable and the CLI's Buffer#indexOf), the
// Latin-1 string the CLI hands to parseMessage, header blocks that keep only HEADER_NAMES, and the
// Latin fast path of detectLanguage (against the previous script count, old-detect-language.ts).
import { Buffer, isAscii } from 'node:buffer'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { looksBinary } from '../../../main/core/parse/binary'
import { detectLanguage, LowerText } from '../../../main/core/parse/extract'
import {
  findFromLine,
  MAX_INPUT_BYTES,
  MboxSplitter,
  parseMessage,
} from '../../../main/core/parse/index'
import type { FromLineFinder, MboxItem, ParseOutcome } from '../../../main/core/parse/index'
import { HEADER_NAMES, parseHeaderBlock } from '../../../main/core/parse/mime'
import { emailish } from '../../support/properties'
import { corpusFiles, readCorpus } from './corpus'
import { oldDetectLanguage } from './old-detect-language'
import { findFromLineNative } from '../../../main/cli/commands/parse'

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)
const asLatin1 = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1')

/** mulberry32: fills large inputs from one generated seed (fast-check per byte would be too slow). */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!

// ---------------------------------------------------------------------------------------------------
// 1. looksBinary

/** Bytes below 0x20 that text never has; TAB, LF, VT, FF, CR and ESC are allowed. */
const ALLOWED_LOW = [9, 10, 11, 12, 13, 27]
const CONTROL: number[] = []
for (let c = 0; c < 32; c++) if (!ALLOWED_LOW.includes(c)) CONTROL.push(c)

function refLooksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 8192)
  let bad = 0
  for (let i = 0; i < n; i++) {
    const c = b[i]!
    if (c < 32 && !ALLOWED_LOW.includes(c)) bad++
  }
  return bad > n * 0.05
}

/**
 * A view of `length` bytes at `offset` into a larger buffer whose other bytes are `outside` (NUL,
 * a control byte, by default): reading past either end of the view changes the count.
 */
function viewIn(length: number, offset: number, after: number, outside = 0): Uint8Array {
  const buf = new ArrayBuffer(offset + length + after)
  new Uint8Array(buf).fill(outside)
  return new Uint8Array(buf, offset, length)
}

/** Printable text with the allowed control bytes, high bytes, and the 0x1F/0x20 edge around. */
function textByte(r: () => number, high: number): number {
  const x = r()
  if (x < high * 0.3) return 0x80 + Math.floor(r() * 128)
  if (x < high * 0.3 + 0.05) return pick(r, ALLOWED_LOW)
  if (x < high * 0.3 + 0.07) return 0x20
  return 0x20 + Math.floor(r() * 95)
}

describe('looksBinary (word-at-a-time count)', () => {
  test('a single control byte at every position and alignment of short views', () => {
    // One control byte flags a view of fewer than 20 bytes (1 > n * 0.05): every position of the
    // head, word and tail loops, for every byteOffset modulo 4 (and 8).
    for (let off = 0; off < 8; off++)
      for (let len = 1; len < 20; len++)
        for (let p = 0; p < len; p++) {
          const v = viewIn(len, off, 7, 0x61)
          v.fill(0x61)
          v[p] = 0x01
          expect(looksBinary(v), `off ${off} len ${len} at ${p}`).toBe(true)
        }
    // Clean views inside a buffer full of NUL: nothing outside the view may be counted.
    for (let off = 0; off < 8; off++)
      for (let len = 0; len < 64; len++) {
        const v = viewIn(len, off, 9, 0)
        v.fill(0x61)
        expect(looksBinary(v), `off ${off} len ${len}`).toBe(false)
      }
  })

  test('only the first 8192 bytes count, whatever the alignment', () => {
    for (let off = 0; off < 4; off++) {
      const v = viewIn(20000, off, 3, 0)
      v.fill(0x61)
      v.fill(0x02, 8192) // all control after the first 8 KB
      expect(looksBinary(v)).toBe(false)
      v.fill(0x02, 8192 - 410, 8192) // 410 > 8192 * 0.05 = 409.6
      expect(looksBinary(v)).toBe(true)
      v[8192 - 410] = 0x61 // 409
      expect(looksBinary(v)).toBe(false)
    }
  })

  test('random bytes, random lengths, unaligned views: same as a byte-by-byte count', () => {
    let binary = 0
    let text = 0
    fc.assert(
      fc.property(
        fc.record({
          length: fc.integer({ min: 0, max: 10000 }),
          density: fc.oneof(
            fc.constant(0),
            fc.constant(1),
            fc.double({ min: 0, max: 0.12, noNaN: true }),
          ),
          high: fc.double({ min: 0, max: 1, noNaN: true }),
          seed: fc.integer(),
          offset: fc.integer({ min: 0, max: 7 }),
          after: fc.integer({ min: 0, max: 7 }),
          outside: fc.constantFrom(0, 1, 0x20, 0x61),
        }),
        ({ length, density, high, seed, offset, after, outside }) => {
          const r = prng(seed)
          const v = viewIn(length, offset, after, outside)
          for (let i = 0; i < length; i++)
            v[i] = r() < density ? pick(r, CONTROL) : textByte(r, high)
          const want = refLooksBinary(v)
          expect(looksBinary(v)).toBe(want)
          if (want) binary++
          else text++
        },
      ),
      { numRuns: 2000 },
    )
    // fully random bytes, shrinkable
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 7 }), (b, off) => {
        const v = viewIn(b.length, off, 5, 0)
        v.set(b)
        expect(looksBinary(v)).toBe(refLooksBinary(v))
      }),
      { numRuns: 1000 },
    )
    expect(binary).toBeGreaterThan(100)
    expect(text).toBeGreaterThan(100)
  })

  test('control-byte density around the 5 % threshold', () => {
    const seen = { above: 0, at: 0 }
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 10000 }),
          delta: fc.integer({ min: -3, max: 3 }),
          beyond: fc.integer({ min: 0, max: 60 }),
          seed: fc.integer(),
          offset: fc.integer({ min: 0, max: 7 }),
          after: fc.integer({ min: 0, max: 7 }),
        }),
        ({ n, delta, beyond, seed, offset, after }) => {
          const r = prng(seed)
          const m = Math.min(n, 8192)
          const k = Math.max(0, Math.min(m, Math.floor(m * 0.05) + delta))
          const v = viewIn(n, offset, after, 0)
          for (let i = 0; i < n; i++) v[i] = textByte(r, 0.3)
          // k distinct positions among the first m bytes get a control byte
          const pos = new Set<number>()
          while (pos.size < k) pos.add(Math.floor(r() * m))
          for (const p of pos) v[p] = pick(r, CONTROL)
          // control bytes past the first 8 KB do not count
          for (let j = 0; j < beyond && n > 8192; j++) v[8192 + Math.floor(r() * (n - 8192))] = 1
          const want = k > m * 0.05
          expect(refLooksBinary(v)).toBe(want) // the construction is what it claims
          expect(looksBinary(v)).toBe(want)
          if (want) seen.above++
          else seen.at++
        },
      ),
      { numRuns: 2000 },
    )
    expect(seen.above).toBeGreaterThan(200)
    expect(seen.at).toBeGreaterThan(200)
  })
})

// ---------------------------------------------------------------------------------------------------
// 2. The separator finders and the streaming splitter

const FROM_LINE = latin1('\nFrom ')

/** First i ≥ from with "\nFrom " wholly at [i, i + 6), else -1. */
function naiveFind(b: Uint8Array, from: number): number {
  for (let i = from; i + 6 <= b.length; i++) {
    let k = 0
    while (k < 6 && b[i + k] === FROM_LINE[k]) k++
    if (k === 6) return i
  }
  return -1
}

/** The CLI's finder itself (Buffer#indexOf for Buffer chunks). */
const nativeFinder: FromLineFinder = findFromLineNative

const fromishToken = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      '\n',
      '\n\n',
      'From ',
      '\r\n',
      '\nFrom ',
      'F',
      'From',
      'rom ',
      'x',
      ' ',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
)
const fromishBytes = fc.array(fromishToken, { maxLength: 40 }).map((t) => latin1(t.join('')))

/** Lines of mbox text, separators and near-separators, LF and CRLF. */
const mboxToken = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'From MAILER-DAEMON Thu Jan  1 00:00:00 2025\n',
      'From a@b.example Mon Nov 23 14:55:18 2026\r\n',
      '\n',
      '\r\n',
      '\n\n',
      '\r\n\r\n',
      '\n\r\n',
      '\n\nFrom z\n',
      '\nFrom ',
      'From ',
      'From x\n',
      'Subject: s\n',
      'X-H: v\r\n',
      'body line\n',
      '>From y\n',
      'Fro',
      'm ',
      'F',
      ' ',
      '\r',
      'a',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
)
const tokenMbox = fc
  .tuple(fc.boolean(), fc.array(mboxToken, { maxLength: 60 }))
  .map(([lead, t]) => latin1((lead ? 'From 0 x\n' : '') + t.join('')))

/** Whole messages, LF or CRLF, "From " in bodies with and without a blank line before. */
const message = fc
  .record({
    crlf: fc.boolean(),
    headers: fc.array(
      fc.constantFrom('Subject: s', 'From: a@b.example', 'X-L: ' + 'v'.repeat(30)),
      {
        maxLength: 4,
      },
    ),
    body: fc.array(
      fc.oneof(
        fc.constantFrom(
          'text',
          '',
          'From inside the body',
          '>From quoted',
          'From ',
          ' From x',
          'x',
        ),
        fc.string({ unit: 'binary', maxLength: 20 }),
      ),
      { maxLength: 8 },
    ),
  })
  .map(({ crlf, headers, body }) => {
    const eol = crlf ? '\r\n' : '\n'
    return (
      ['From sender@example.com Thu Jan  1 00:00:00 2025', ...headers, '', ...body].join(eol) + eol
    )
  })
const structuredMbox = fc
  .tuple(fc.array(message, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n', ''))
  .map(([ms, sep]) => latin1(ms.join(sep)))

type Chunking =
  | { readonly kind: 'ones' }
  | { readonly kind: 'sizes'; readonly sizes: readonly number[] }
  | { readonly kind: 'separators'; readonly shifts: readonly number[] }
  | { readonly kind: 'cuts'; readonly cuts: readonly number[] }

const chunking: fc.Arbitrary<Chunking> = fc.oneof(
  fc.constant({ kind: 'ones' as const }),
  fc.record({
    kind: fc.constant('sizes' as const),
    sizes: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('separators' as const),
    shifts: fc.array(fc.integer({ min: -2, max: 8 }), { minLength: 1, maxLength: 8 }),
  }),
  // duplicates give empty chunks
  fc.record({ kind: fc.constant('cuts' as const), cuts: fc.array(fc.nat(), { maxLength: 20 }) }),
)

/** Chunk boundaries (sorted, 0 and length included). */
function boundaries(b: Uint8Array, c: Chunking): number[] {
  const n = b.length
  const cuts: number[] = []
  if (c.kind === 'ones') for (let i = 1; i < n; i++) cuts.push(i)
  else if (c.kind === 'sizes') {
    let k = 0
    for (let i = c.sizes[0]!; i < n; i += c.sizes[++k % c.sizes.length]!) cuts.push(i)
  } else if (c.kind === 'separators') {
    // cut "\nFrom " (and every "\r" or "\n") in the middle, before or just after it
    let k = 0
    for (let i = 0; i < n; i++)
      if (b[i] === 10 || b[i] === 13) cuts.push(i + c.shifts[k++ % c.shifts.length]!)
  } else for (const x of c.cuts) cuts.push(x % (n + 1))
  return [0, ...cuts.filter((x) => x >= 0 && x <= n).sort((x, y) => x - y), n]
}

type ChunkMode = 'u8' | 'u8View' | 'buffer' | 'bufferView' | 'mixed'
/** Around each view: what a splitter reading past the chunk's bounds would wrongly see. */
const GARBAGE = latin1('\n\nFrom \n\nFrom ')

function chunkOf(b: Uint8Array, a: number, z: number, mode: ChunkMode, k: number): Uint8Array {
  const m = mode === 'mixed' ? (['u8', 'buffer', 'bufferView', 'u8View'] as const)[k % 4]! : mode
  if (m === 'u8') return b.slice(a, z)
  if (m === 'buffer') return Buffer.from(b.subarray(a, z))
  const off = GARBAGE.length + (k % 4)
  const buf = new ArrayBuffer(off + (z - a) + GARBAGE.length)
  const all = new Uint8Array(buf)
  all.set(GARBAGE, off - GARBAGE.length)
  all.set(b.subarray(a, z), off)
  all.set(GARBAGE, off + (z - a))
  return m === 'u8View' ? new Uint8Array(buf, off, z - a) : Buffer.from(buf, off, z - a)
}

type Shown = { ok: true; index: number; text: string } | { ok: false; index: number; size: number }
const show = (items: readonly MboxItem[]): Shown[] =>
  items.map((it) =>
    it.ok
      ? { ok: true, index: it.index, text: asLatin1(it.message) }
      : { ok: false, index: it.index, size: it.size },
  )

function split(
  b: Uint8Array,
  bounds: readonly number[],
  mode: ChunkMode,
  find: FromLineFinder | undefined,
  max: number,
): Shown[] {
  const sp = find ? new MboxSplitter(max, find) : new MboxSplitter(max)
  const out: MboxItem[] = []
  for (let k = 0; k + 1 < bounds.length; k++)
    out.push(...sp.push(chunkOf(b, bounds[k]!, bounds[k + 1]!, mode, k)))
  out.push(...sp.end())
  return show(out)
}

/**
 * The CLI's way (reusedChunks): every chunk is read into the same Buffer, the messages push returned
 * are used at once, then the buffer is overwritten, with separator-like garbage so that a message
 * or a kept part still viewing it would come out wrong.
 */
function splitReused(
  b: Uint8Array,
  bounds: readonly number[],
  find: FromLineFinder,
  max: number,
): Shown[] {
  const sp = new MboxSplitter(max, find, true)
  let size = 1
  for (let k = 0; k + 1 < bounds.length; k++) size = Math.max(size, bounds[k + 1]! - bounds[k]!)
  const buf = Buffer.alloc(size)
  const scribble = (): void => {
    for (let i = 0; i < buf.length; i++) buf[i] = GARBAGE[i % GARBAGE.length]!
  }
  const out: Shown[] = []
  for (let k = 0; k + 1 < bounds.length; k++) {
    const a = bounds[k]!
    const z = bounds[k + 1]!
    buf.set(b.subarray(a, z), 0)
    out.push(...show(sp.push(buf.subarray(0, z - a))))
    scribble()
  }
  out.push(...show(sp.end()))
  return out
}

/**
 * An independent statement of the splitter's contract: a separator is "\nFrom " at the very start
 * or after an empty line ("\n" or "\r\n"); the messages are the pieces between separators, each
 * keeping its "\n"; blank pieces are not messages unless over the cap.
 */
function refSplit(b: Uint8Array, max: number): Shown[] {
  const pieces: Uint8Array[] = []
  let start = 0
  for (let i = naiveFind(b, 0); i >= 0; i = naiveFind(b, i + 1)) {
    const blank = i === 0 || b[i - 1] === 10 || (b[i - 1] === 13 && i >= 2 && b[i - 2] === 10)
    if (!blank) continue
    pieces.push(b.subarray(start, i + 1))
    start = i + 1
  }
  pieces.push(b.subarray(start))
  const out: Shown[] = []
  for (const p of pieces) {
    if (p.length === 0) continue
    if (p.length > max) out.push({ ok: false, index: out.length, size: p.length })
    else if (!/^[\n\r \t]*$/.test(asLatin1(p)))
      out.push({ ok: true, index: out.length, text: asLatin1(p) })
  }
  return out
}

describe('mbox separator search', () => {
  test('findFromLine and the CLI Buffer finder equal a naive search', () => {
    fc.assert(
      fc.property(
        fromishBytes,
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 7 }),
        (b, f, off, after) => {
          const from = f % (b.length + 4)
          const want = naiveFind(b, from)
          expect(findFromLine(b, from)).toBe(want)
          // The same bytes as a view followed by "\nFrom ": an occurrence cut by the end of the view
          // must not be reported.
          const backing = new Uint8Array(off + b.length + after + GARBAGE.length)
          backing.set(b, off)
          backing.set(GARBAGE, off + b.length + after)
          const view = backing.subarray(off, off + b.length)
          expect(findFromLine(view, from)).toBe(want)
          const bufView = Buffer.from(backing.buffer, off, b.length)
          expect(nativeFinder(bufView, from)).toBe(want)
        },
      ),
      { numRuns: 3000 },
    )
  })

  test('known cases', () => {
    const b = latin1('From a\n\nFrom b\nFrom\nFrom c\n')
    expect(findFromLine(b, 0)).toBe(7)
    expect(findFromLine(b, 8)).toBe(19) // "\nFrom\n" at 14 is not one
    expect(findFromLine(b, 19)).toBe(19)
    expect(findFromLine(b, 20)).toBe(-1)
    expect(findFromLine(latin1('x\nFrom'), 0)).toBe(-1) // cut by the end
    expect(findFromLine(latin1('x\nFrom '), 0)).toBe(1)
  })
})

describe('MboxSplitter: any chunking, either finder, reused or not, same messages as one push', () => {
  const modes: ReadonlyArray<readonly [ChunkMode, FromLineFinder | undefined]> = [
    ['u8', undefined],
    ['u8View', undefined],
    ['u8', findFromLine],
    ['buffer', nativeFinder],
    ['bufferView', nativeFinder],
    ['mixed', nativeFinder],
  ]
  const check = (b: Uint8Array, c: Chunking, max: number): void => {
    const whole = split(b, [0, b.length], 'u8', undefined, max)
    expect(whole).toEqual(refSplit(b, max))
    const bounds = boundaries(b, c)
    for (const [mode, find] of modes)
      expect(split(b, bounds, mode, find, max), `${mode} ${JSON.stringify(bounds)}`).toEqual(whole)
    for (const find of [nativeFinder, findFromLine])
      expect(splitReused(b, bounds, find, max), `reused ${JSON.stringify(bounds)}`).toEqual(whole)
  }
  const cap = fc.oneof(
    { weight: 3, arbitrary: fc.constant(MAX_INPUT_BYTES) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 120 }) },
  )

  test('token soup around separators', () => {
    fc.assert(fc.property(tokenMbox, chunking, cap, check), { numRuns: 1500 })
  })

  test('structured mboxes, LF and CRLF', () => {
    fc.assert(fc.property(structuredMbox, chunking, cap, check), { numRuns: 500 })
  })

  test('a separator at every offset of a chunk boundary', () => {
    const b = latin1('From a\nX: 1\n\nFrom b\r\n\r\nFrom c\n\n\nFrom d\nbody\nFrom e\n\n')
    for (let size = 1; size <= b.length; size++)
      check(b, { kind: 'sizes', sizes: [size] }, MAX_INPUT_BYTES)
    for (let a = 0; a <= b.length; a++)
      for (let z = a; z <= b.length; z++) check(b, { kind: 'cuts', cuts: [a, z] }, MAX_INPUT_BYTES)
  })
})

// ---------------------------------------------------------------------------------------------------
// 3. parseMessage with the CLI's Latin-1 string

const CORPUS_FILES = [...corpusFiles('microsoft'), ...corpusFiles('other')]

/** Offset of the end of the header block (the blank line), or the length. */
function headerEnd(b: Uint8Array): number {
  const s = asLatin1(b)
  const i = s.search(/\r?\n\r?\n/)
  return i < 0 ? b.length : i
}

function insert(b: Uint8Array, at: number, add: readonly number[]): Uint8Array {
  const out = new Uint8Array(b.length + add.length)
  out.set(b.subarray(0, at), 0)
  out.set(add, at)
  out.set(b.subarray(at), at + add.length)
  return out
}

/**
 * Header values the engine copies to the result (date, messageId; originalDate, originalMessageId,
 * originalSubject of an attached original; the text around a malformed "=?") must read the same
 * whichever binary-string form the bytes came in. This file found them passing through as C1
 * controls from the CLI's Latin-1 strings (windows-1252 chars from the engine's own decoding);
 * they are now decoded as raw 8-bit text (asText in extract.ts, decodeEncodedWords in decode.ts).
 */
function sameBothWays(bytes: Uint8Array): void {
  const binary = Buffer.from(bytes).toString('latin1')
  expect(binary.length).toBe(bytes.length)
  const got = JSON.stringify(parseMessage(bytes, binary))
  const want = JSON.stringify(parseMessage(bytes))
  expect(got).toBe(want)
  // The CLI's ASCII hint (Node's isAscii) skips the engine's own scans: same result. (Quoted-
  // printable escapes of high bytes, "=E9", are ASCII in the source and must still be decoded.)
  if (isAscii(bytes)) expect(JSON.stringify(parseMessage(bytes, binary, true))).toBe(want)
}

/** Bytes 0x80-0x9F (where Latin-1 and windows-1252 differ) most of the time, else 0xA0-0xFF. */
const highByte = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0x80, max: 0x9f }) },
  { weight: 2, arbitrary: fc.integer({ min: 0xa0, max: 0xff }) },
)
const injection = fc.record({
  inHeader: fc.boolean(),
  pos: fc.nat(),
  seq: fc.array(highByte, { minLength: 1, maxLength: 4 }),
  // as letters of a word ("a\x8Ab" is one word in windows-1252, two in Latin-1)
  word: fc.boolean(),
})
type Injection = typeof injection extends fc.Arbitrary<infer T> ? T : never

function injectAll(b: Uint8Array, edits: readonly Injection[]): Uint8Array {
  let out = b
  for (const e of edits) {
    const he = headerEnd(out)
    const at = e.inHeader ? e.pos % (he + 1) : he + (e.pos % (out.length - he + 1))
    out = insert(out, at, e.word ? [0x20, 0x61, ...e.seq, 0x62, 0x20] : e.seq)
  }
  return out
}

const ALL_HIGH = Array.from({ length: 128 }, (_, i) => 0x80 + i)
const WORDS_1252 = latin1(' caf\xe9 \x8aa\x9ab \x8c\x9c \x9f\xff r\xe9sum\xe9 \x80 \x85 \x93x\x94 ')

describe('parseMessage(bytes, latin1) equals parseMessage(bytes)', () => {
  test('raw 8-bit header values read the same from Latin-1 and windows-1252 binary strings', () => {
    const b = latin1(
      'From: postmaster@x.example\nSubject: Undeliverable: \x93hi\x94 =?x\n' +
        'Date: Thu, 1 Jan 2025 00:00:00 +0000 \x80\nMessage-ID: <m\x85@x>\n\n' +
        'Delivery has failed to these recipients or groups:\n\nu@y.example\n' +
        "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'\n",
    )
    const fields = (o: ParseOutcome): unknown =>
      o.ok ? [o.messages[0]?.subject, o.messages[0]?.date, o.messages[0]?.messageId] : o
    // Raw bytes are decoded as windows-1252 (not valid UTF-8): not C1 controls, either way.
    expect(fields(parseMessage(b))).toEqual([
      'Undeliverable: \u201chi\u201d =?x',
      'Thu, 1 Jan 2025 00:00:00 +0000 \u20ac',
      '<m\u2026@x>',
    ])
    expect(fields(parseMessage(b, Buffer.from(b).toString('latin1')))).toEqual(
      fields(parseMessage(b)),
    )
  })

  test.each(CORPUS_FILES)('%s, as is and with high bytes in headers and body', (rel) => {
    const b = readCorpus(rel)
    sameBothWays(b)
    // high bytes at the end of every header-like line (top headers, attached originals, DSN fields)
    // but the Content-* ones (the structure stays), then in the subject and the body
    const lines = asLatin1(b).split('\n')
    let x = latin1(
      lines
        .map((l) =>
          /^[A-Za-z][A-Za-z0-9-]*:/.test(l) && !/^content-/i.test(l)
            ? l.replace(/\r?$/, (eol) => asLatin1(WORDS_1252) + eol)
            : l,
        )
        .join('\n'),
    )
    sameBothWays(x)
    x = b
    const he = headerEnd(x)
    const subject = asLatin1(x).search(/^Subject:/im)
    if (subject >= 0 && subject < he) x = insert(x, subject + 8, [...WORDS_1252, ...ALL_HIGH])
    const he2 = headerEnd(x)
    x = insert(x, Math.min(x.length, he2 + 4), [...WORDS_1252, ...ALL_HIGH, 0x0a])
    x = insert(x, Math.floor((he2 + x.length) / 2), [...WORDS_1252])
    x = insert(x, x.length, [0x0a, ...WORDS_1252, ...WORDS_1252, 0x0a])
    sameBothWays(x)
  })

  test('corpus files with random high bytes injected', () => {
    const files = CORPUS_FILES.map(readCorpus)
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(injection, { minLength: 1, maxLength: 8 }),
        (k, edits) => sameBothWays(injectAll(files[k]!, edits)),
      ),
      { numRuns: 300 },
    )
  })

  test('random bounce fragments with high bytes', () => {
    fc.assert(
      fc.property(emailish, fc.array(injection, { maxLength: 6 }), (s, edits) =>
        sameBothWays(injectAll(latin1(s), edits)),
      ),
      { numRuns: 1000 },
    )
  })
})

// ---------------------------------------------------------------------------------------------------
// 4. parseHeaderBlock keeps only HEADER_NAMES

const LISTED = new Set<string>(HEADER_NAMES)

interface RefBlock {
  readonly all: Array<readonly [string, string]>
  readonly count: number
  readonly bodyStart: number
  readonly tooLarge: boolean
}

/**
 * Reference: every field kept (names lower-cased, values unfolded with single spaces and trimmed),
 * the same line rules as before commit 4606de2: a field is printable ASCII but ':' and space, up
 * to a colon within 80 chars; a line starting with space or tab continues the field; an empty line
 * ends the block; so does any other line, except an mbox "From " line at the very top.
 */
function refHeaderBlock(s: string, start: number, end: number, maxBytes: number): RefBlock {
  const all: Array<readonly [string, string]> = []
  let count = 0
  let cur: [string, string] | undefined
  const flush = (): void => {
    if (cur) all.push(cur)
    cur = undefined
  }
  let pos = start
  while (pos < end) {
    if (pos - start > maxBytes) return { all, count, bodyStart: end, tooLarge: true }
    let nl = s.indexOf('\n', pos)
    if (nl < 0 || nl > end) nl = end
    const line = s.slice(pos, nl)
    if (line === '') {
      flush()
      return { all, count, bodyStart: Math.min(nl + 1, end), tooLarge: false }
    }
    if (cur && (line[0] === ' ' || line[0] === '\t')) {
      if (cur[1].length < maxBytes) cur[1] += ' ' + line.trim()
    } else {
      const m = /^[!-9;-~]+:/.exec(s.slice(pos, pos + 80))
      if (m) {
        flush()
        count++
        const colon = pos + m[0].length - 1
        cur = [m[0].slice(0, -1).toLowerCase(), s.slice(colon + 1, nl).trim()]
      } else if (!(pos === start && s.startsWith('From ', pos))) {
        flush()
        return { all, count, bodyStart: pos, tooLarge: false }
      }
    }
    pos = nl + 1
  }
  flush()
  return { all, count, bodyStart: end, tooLarge: false }
}

const block = (s: string, start = 0, end = s.length, max?: number) =>
  parseHeaderBlock({ s, unicode: false }, start, end, max)

describe('parseHeaderBlock keeps the fields of HEADER_NAMES only', () => {
  test('names in any case', () => {
    const s = 'FROM: a@b.example\nContent-TYPE: text/plain\nsUbJeCt: Hi\nX-Other: 1\n\nbody'
    const hb = block(s)
    expect(hb.headers).toEqual([
      ['from', 'a@b.example'],
      ['content-type', 'text/plain'],
      ['subject', 'Hi'],
    ])
    expect(hb.fields).toBe(4)
    expect(hb.bodyStart).toBe(s.indexOf('body'))
    for (const n of HEADER_NAMES) {
      const up = n.toUpperCase()
      expect(block(`${up}: v\n\n`).headers, n).toEqual([[n, 'v']])
      expect(block(`${n}: v\n\n`).headers, n).toEqual([[n, 'v']])
    }
  })

  test('a skipped field and its continuation lines leak nothing into the next fields', () => {
    const s =
      'Subject: a\nX-MS-Exchange-Foo: aaa\n continued bbb\n\tmore ccc\nTo: d\n  e\n' +
      'X-Skip: 1\n x\nDate: f\n\nbody'
    const hb = block(s)
    expect(hb.headers).toEqual([
      ['subject', 'a'],
      ['to', 'd e'],
      ['date', 'f'],
    ])
    expect(hb.fields).toBe(5)
    expect(hb.bodyStart).toBe(s.indexOf('body'))
  })

  test('folded kept fields are unfolded: single spaces, trimmed', () => {
    const hb = block('Subject:   Hello \n   world  \n\tagain\t\nReceived: from x\n\tby y;\n  z\n\n')
    expect(hb.headers).toEqual([
      ['subject', 'Hello world again'],
      ['received', 'from x by y; z'],
    ])
    expect(hb.fields).toBe(2)
  })

  test('names that only look like listed ones are skipped but counted', () => {
    const long32 = 'x-ms-exchange-message-is-ndr' + 'abcd' // 32 chars
    const longer = 'X-' + 'a'.repeat(40)
    const s =
      `X-Mailer-Foo: 1\nFro: 2\nSubjects: 3\nrom: 4\nFromm: 5\nReceived-SPF-X: 6\nTo-: 7\n` +
      `${long32}: 8\n${longer}: 9\nX-MS-Exchange-Message-Is-NDR: 10\nX-Mailer: 11\n\n`
    const hb = block(s)
    expect(hb.headers).toEqual([
      ['x-ms-exchange-message-is-ndr', '10'],
      ['x-mailer', '11'],
    ])
    expect(hb.fields).toBe(11)
  })

  test('the mbox "From " line at the top is skipped; elsewhere it starts the body', () => {
    const s = 'From MAILER-DAEMON Thu Jan  1 00:00:00 2025\nSubject: s\nFrom x\nTo: t\n\n'
    const hb = block(s)
    expect(hb.headers).toEqual([['subject', 's']])
    expect(hb.fields).toBe(1)
    expect(hb.bodyStart).toBe(s.indexOf('From x'))
  })

  test('body start, field count and cap as the reference computes them', () => {
    const cases: Array<[string, number, number, number | undefined]> = [
      ['X-A: 1\n more\nnot a field\nSubject: later\n', 0, -1, undefined],
      ['X-A: 1\nX-B: 2\n', 0, -1, undefined],
      ['X-A: 1\nX-B: 2\n\n', 0, -1, undefined],
      ['X-A: 1\nSubject: 2\nX-C: 3\n', 0, -1, 10],
      ['Subject: cut here\nX: y\n\n', 0, 12, undefined],
      ['xx\nSubject: s\n\nb', 3, -1, undefined],
      [' leading continuation\nSubject: s\n\n', 0, -1, undefined],
    ]
    for (const [s, a, z, max] of cases) {
      const end = z < 0 ? s.length : z
      const hb = block(s, a, end, max)
      const ref = refHeaderBlock(s, a, end, max ?? 1024 * 1024)
      expect(hb.headers, s).toEqual(ref.all.filter(([n]) => LISTED.has(n)))
      expect(hb.fields, s).toBe(ref.count)
      expect(hb.bodyStart, s).toBe(ref.bodyStart)
      expect(hb.tooLarge, s).toBe(ref.tooLarge)
    }
  })

  test('random header blocks: the reference filtered to HEADER_NAMES', () => {
    const randomCase = (n: string, flips: readonly boolean[]): string =>
      [...n].map((c, i) => (flips[i % Math.max(1, flips.length)] ? c.toUpperCase() : c)).join('')
    const listedName = fc
      .tuple(fc.constantFrom(...HEADER_NAMES), fc.array(fc.boolean(), { maxLength: 8 }))
      .map(([n, f]) => randomCase(n, f))
    // one char more, one less, or one changed (same length: the same slot of the name table),
    // with ASCII neighbours of the letters ('@', '[', '^', '~', '{') that a sloppy case fold confuses
    const nearName = fc
      .tuple(
        fc.constantFrom(...HEADER_NAMES),
        fc.constantFrom('pre', 'suf', 'cut', 'drop', 'swap', 'swap'),
        fc.nat(),
        fc.constantFrom('x', '_', '@', '[', '^', '~', '0', '{', 'S'),
      )
      .map(([n, how, at, c]) => {
        if (how === 'pre') return 'X' + n
        if (how === 'suf') return n + 's'
        if (how === 'cut') return n.slice(0, -1)
        if (how === 'drop') return n.slice(1)
        const i = at % n.length
        return n.slice(0, i) + (n[i] === c.toLowerCase() ? 'q' : c) + n.slice(i + 1)
      })
    const ftext = fc.string({
      unit: fc
        .integer({ min: 0x21, max: 0x7e })
        .filter((c) => c !== 0x3a)
        .map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 90,
    })
    const value = fc.string({
      unit: fc.constantFrom('a', 'B', ' ', '\t', ':', 'é', '\u00a0', '\u0085', '\r', '=', '\x8a'),
      maxLength: 12,
    })
    const line = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(fc.oneof(listedName, nearName, ftext), value)
          .map(([n, v]) => `${n}:${v}`),
      },
      {
        weight: 3,
        arbitrary: fc.tuple(fc.constantFrom(' ', '\t', '  '), value).map(([p, v]) => p + v),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom('', 'From MAILER-DAEMON x', 'body text', ': odd', 'From '),
      },
    )
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 16 }),
        fc.nat(),
        fc.nat(),
        fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
        fc.boolean(),
        (lines, a, z, max, whole) => {
          const s = lines.join('\n') + (whole ? '\n\nbody' : '')
          const start = whole ? 0 : a % (s.length + 1)
          const end = whole ? s.length : start + (z % (s.length - start + 1))
          const hb = block(s, start, end, max)
          const ref = refHeaderBlock(s, start, end, max ?? 1024 * 1024)
          expect(hb.headers).toEqual(ref.all.filter(([n]) => LISTED.has(n)))
          expect(hb.fields).toBe(ref.count)
          expect(hb.bodyStart).toBe(ref.bodyStart)
          expect(hb.tooLarge).toBe(ref.tooLarge)
        },
      ),
      { numRuns: 3000 },
    )
  })
})

// ---------------------------------------------------------------------------------------------------
// 5. detectLanguage's Latin fast path

describe('detectLanguage answers as before its Latin fast path', () => {
  const KEYWORDS = [
    'non remis',
    'destinataire',
    'impossible de remettre',
    'échec',
    'en-têtes',
    'non recapitabile',
    'il messaggio',
    'recapito',
    'unzustellbar',
    'empfänger',
    'destinatário',
    'não é possível entregar',
    'onbestelbaar',
    'mottagare',
    'delivery',
    'undeliverable',
    'recipient',
    'your message',
    'failed',
  ]
  const cp = (a: number, b: number): fc.Arbitrary<string> =>
    fc.integer({ min: a, max: b }).map((c) => String.fromCharCode(c))
  const latinChar = fc.oneof(
    { weight: 6, arbitrary: cp(0xc0, 0x24f) },
    { weight: 2, arbitrary: cp(0xa0, 0xbf) }, // Latin-1 signs: not letters
    { weight: 2, arbitrary: cp(0x80, 0x9f) },
    { weight: 1, arbitrary: cp(0x250, 0x3ff) }, // IPA, Greek: below the U+0400 line
    { weight: 1, arbitrary: fc.constantFrom('\u00d7', '\u00f7', '\u024f', '\u0250', '\u03ff') },
  )
  const word = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z]{1,8}$/) },
    {
      weight: 4,
      arbitrary: fc
        .array(fc.oneof(cp(0x61, 0x7a), latinChar), { minLength: 1, maxLength: 8 })
        .map((a) => a.join('')),
    },
    { weight: 3, arbitrary: fc.constantFrom(...KEYWORDS) },
  )
  // Keywords glued by Latin letters ("deliveryéfailed"): one word for the script count, several runs
  // for hasThreeWords and the keywords, so two such words can still name a language: the answer
  // then hangs on the exact word count (and on which chars are letters).
  const glued = fc
    .tuple(
      fc.array(
        fc.constantFrom(
          'delivery',
          'failed',
          'error',
          'recipient',
          'destinataire',
          'remise',
          'recapito',
        ),
        { minLength: 1, maxLength: 3 },
      ),
      fc.constantFrom(
        '\u00e9',
        '\u00c0',
        '\u00df',
        '\u00f1',
        '\u024f',
        '\u00d7',
        '\u00ff',
        '\u00bf',
      ),
    )
    .map(([ws, glue]) => ws.join(glue))
  const rare = fc.oneof(
    cp(0x400, 0x4ff), // Cyrillic
    cp(0x3040, 0x30ff), // kana
    fc.constantFrom(...'們這個無来对时会过国说与從为將'), // Han, traditional and simplified
    cp(0xac00, 0xd7af), // Hangul
    fc.constantFrom('\u0400', '\uffff', '\u20ac', '\u2026', '\ud83d\ude00'),
  )
  const sep = fc.constantFrom(' ', '  ', ', ', '. ', '\n', '-', "'", '_', '1', '(', '\t')
  const piece = fc.oneof(
    { weight: 10, arbitrary: fc.tuple(word, sep).map(([w, s]) => w + s) },
    { weight: 1, arbitrary: rare },
    {
      weight: 1,
      arbitrary: fc.array(rare, { minLength: 8, maxLength: 40 }).map((a) => a.join('')),
    },
  )
  const text = fc.oneof(
    fc
      .array(fc.tuple(glued, sep), { minLength: 1, maxLength: 4 })
      .map((a) => a.map(([w, s]) => w + s).join('')),
    fc
      .tuple(
        fc.array(piece, { maxLength: 30 }),
        fc.constantFrom('', 'filler', 'long'),
        fc.array(piece, { maxLength: 6 }),
      )
      .map(([ps, pad, tail]) => {
        const head = ps.join('')
        // past the 12,000-char sample (script counts) and the 6,000-char keyword prefix
        if (pad === 'filler') return head + 'x '.repeat(6500) + tail.join('')
        if (pad === 'long')
          return head.repeat(Math.ceil(13000 / Math.max(1, head.length))) + tail.join('')
        return head
      }),
  )
  const contentLanguage = fc.constantFrom(
    undefined,
    '',
    'fr',
    'it-IT',
    'en-US',
    'zh-tw',
    'ja',
    ' de , en',
    'x',
    '123',
  )

  test('random Latin, accented and mixed-script text, with and without Content-Language', () => {
    const seen = { fastUndefined: 0, fastLatin: 0, slow: 0 }
    fc.assert(
      fc.property(text, contentLanguage, fc.boolean(), (t, cl, ascii) => {
        const knownAscii = ascii && !/[\u0080-\uffff]/.test(t)
        const got = detectLanguage(new LowerText(t), cl, knownAscii)
        const want = oldDetectLanguage(new LowerText(t), cl, knownAscii)
        expect(got).toBe(want)
        const sample = t.slice(0, 12000)
        if (/[\u0080-\uffff]/.test(sample) && !/[\u0400-\uffff]/.test(sample)) {
          if (got === undefined) seen.fastUndefined++
          else seen.fastLatin++
        } else seen.slow++
      }),
      { numRuns: 3000 },
    )
    // each branch really ran
    expect(seen.fastUndefined).toBeGreaterThan(50)
    expect(seen.fastLatin).toBeGreaterThan(50)
    expect(seen.slow).toBeGreaterThan(50)
  })

  test('the three-word line, around the edges of the Latin range', () => {
    const cases = [
      'é',
      'é é',
      'é é é',
      'ab\u00d7cd ef',
      'ab\u0250cd ef',
      'ab\u0250cd ef gh',
      'é\u0085é\u0085é',
      'é. é, é!',
      'été déjà là impossible de remettre votre message destinataire',
      'non recapitabile il messaggio destinatari à',
      'ÀÁÂ ÃÄÅ ÆÇÈ',
      'x\u03ff y\u03ff z',
      'delivery\u00e9failed error',
      'delivery\u00c0failed error',
      'delivery\u00bffailed error',
    ]
    for (const t of cases)
      for (const cl of [undefined, '', 'fr', 'zz-bad!'])
        expect(detectLanguage(new LowerText(t), cl, false), `${t} ${String(cl)}`).toBe(
          oldDetectLanguage(new LowerText(t), cl, false),
        )
  })
})
