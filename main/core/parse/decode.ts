// Byte and text decoding: latin1 "binary strings", base64, quoted-printable, charsets, RFC 2047.
// Hand-written and linear so that hostile input cannot make them slow (reliability.md §4.6).

const latin1Native = new TextDecoder('latin1') // WHATWG: this is windows-1252, native and fast
/** windows-1252 code points of bytes 0x80-0x9F, mapped back to their byte. */
const REV1252 = new Map<number, number>()
for (let b = 0x80; b <= 0x9f; b++)
  REV1252.set(latin1Native.decode(Uint8Array.of(b)).charCodeAt(0), b)

/** The byte a char of a binary string stands for. */
export function byteOf(c: number): number {
  return c < 256 ? c : (REV1252.get(c) ?? c & 0xff)
}

/**
 * Bytes to a string with one char per byte, so offsets map 1:1 back to bytes. Decoded natively as
 * windows-1252 (bytes 0x80-0x9F become other code points, which byteOf maps back).
 */
export function bytesToBinary(bytes: Uint8Array): string {
  // Bounces are mostly ASCII (RFC 2045 transfer encodings): the native UTF-8 decoder is several times
  // faster than windows-1252 there, and gives the same string when every byte became one char and no
  // U+FFFD appeared (then every byte was ASCII).
  const s = utf8Loose.decode(bytes)
  if (s.length === bytes.length && !s.includes('\uFFFD')) return s
  return latin1Native.decode(bytes)
}
const utf8Loose = new TextDecoder('utf-8')

/** The inverse of bytesToBinary. */
export function binaryToBytes(s: string, start = 0, end = s.length): Uint8Array {
  const out = new Uint8Array(end - start)
  for (let i = start; i < end; i++) out[i - start] = byteOf(s.charCodeAt(i))
  return out
}

const B64 = new Int16Array(256).fill(-1)
{
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  for (let i = 0; i < abc.length; i++) B64[abc.charCodeAt(i)] = i
  B64['-'.charCodeAt(0)] = 62 // base64url, tolerated
  B64['_'.charCodeAt(0)] = 63
}

/** Base64 to bytes, skipping anything outside the alphabet (line breaks, junk), stopping at '='. */
export function decodeBase64(s: string, start = 0, end = s.length): Uint8Array {
  const out = new Uint8Array(Math.ceil(((end - start) * 3) / 4) + 3)
  let n = 0
  let acc = 0
  let bits = 0
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i)
    if (c === 61) break // '='
    const v = c < 256 ? B64[c]! : -1
    if (v < 0) continue
    acc = ((acc << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[n++] = (acc >> bits) & 0xff
    }
  }
  return out.subarray(0, n)
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 65 && c <= 70) return c - 55
  if (c >= 97 && c <= 102) return c - 87
  return -1
}

/** Quoted-printable (RFC 2045 §6.7) to bytes; `underscore` for the RFC 2047 Q encoding. */
export function decodeQuotedPrintable(
  s: string,
  start = 0,
  end = s.length,
  underscore = false,
): Uint8Array {
  const out = new Uint8Array(end - start)
  let n = 0
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i)
    if (!underscore) {
      // Copy the literal run up to the next '=' in a tight loop (most of a body is literal text).
      while (c !== 61 && c < 256) {
        out[n++] = c
        if (++i >= end) return out.subarray(0, n)
        c = s.charCodeAt(i)
      }
    }
    if (c === 61 /* = */) {
      const n1 = s.charCodeAt(i + 1)
      if (n1 === 10) {
        i += 1 // soft line break
        continue
      }
      if (n1 === 13 && s.charCodeAt(i + 2) === 10) {
        i += 2
        continue
      }
      const h = i + 2 < end ? hexVal(n1) : -1
      const l = h >= 0 ? hexVal(s.charCodeAt(i + 2)) : -1
      if (l >= 0) {
        out[n++] = (h << 4) | l
        i += 2
        continue
      }
      // "=" followed by trailing spaces then newline is also a soft break
      let j = i + 1
      while (j < end && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++
      if (j < end && s.charCodeAt(j) === 10) {
        i = j
        continue
      }
      out[n++] = 61
      continue
    }
    if (underscore && c === 95) {
      out[n++] = 32
      continue
    }
    out[n++] = byteOf(c)
  }
  return out.subarray(0, n)
}

/**
 * s.slice(start, end) as a plain string of its own. V8 keeps a long slice as a view into its parent
 * (a "sliced string") and lower-cases such views through a runtime path about six times slower; a
 * concatenation is copied into a plain string the first time it is read. Same text either way.
 */
export function plainSlice(s: string, start: number, end: number): string {
  if (end - start < 64) return s.slice(start, end)
  const mid = start + ((end - start) >> 1)
  return s.slice(start, mid) + s.slice(mid, end)
}

/**
 * White space as String.prototype.trim() and \s see it (ECMAScript WhiteSpace and LineTerminator).
 */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13)
  if (c < 0xa0) return false
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

/** s.slice(start, end).trim() with one slice instead of two. */
export function trimmedSlice(s: string, start: number, end: number): string {
  let a = start
  let b = end
  while (a < b && isSpace(s.charCodeAt(a))) a++
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--
  return s.slice(a, b)
}

/** The start of s up to the first white space or char of `stops`: s.split(/[\s<stops>]/, 1)[0]. */
export function untilSpace(s: string, stops = ''): string {
  let e = 0
  while (e < s.length) {
    const c = s.charCodeAt(e)
    if (isSpace(c) || (stops !== '' && stops.includes(s.charAt(e)))) break
    e++
  }
  return e === s.length ? s : s.slice(0, e)
}

/** Any char that is not ASCII (in a binary string: a byte 0x80-0xFF). */
const NOT_ASCII = /[\u0080-\uffff]/

/**
 * True when chars [start, end) of `s` are all ASCII (control chars included): such text decodes the
 * same in every ASCII-compatible charset. One native scan; a class of all non-ASCII chars scans
 * several times faster than one that also excludes control chars.
 */
export function isAsciiRange(s: string, start: number, end: number): boolean {
  if (end - start <= 64) {
    // short strings (header values): a loop costs less than calling into the regex engine
    for (let i = start; i < end; i++) if (s.charCodeAt(i) > 0x7f) return false
    return true
  }
  return !NOT_ASCII.test(start === 0 && end === s.length ? s : s.slice(start, end))
}

/**
 * Quoted-printable body straight to text when it is ASCII and decodes to ASCII (most bounces): the
 * text decodeQuotedPrintable then an ASCII-compatible charset gives, without the byte array and
 * the per-char loop. Undefined when a char or an escaped byte is not ASCII.
 */
export function decodeQuotedPrintableAscii(
  s: string,
  start: number,
  end: number,
  sourceAscii = false,
): string | undefined {
  let out = ''
  let pieces = 0
  let pos = start // start of the literal text not yet copied
  let i = s.indexOf('=', start)
  while (i >= 0 && i < end) {
    // Same cases, in the same order, as decodeQuotedPrintable.
    const n1 = s.charCodeAt(i + 1)
    let next: number
    let piece = ''
    if (n1 === 10)
      next = i + 2 // soft line break
    else if (n1 === 13 && s.charCodeAt(i + 2) === 10) next = i + 3
    else {
      const h = i + 2 < end ? hexVal(n1) : -1
      const l = h >= 0 ? hexVal(s.charCodeAt(i + 2)) : -1
      if (l >= 0) {
        const b = (h << 4) | l
        if (b > 0x7f) return undefined
        piece = String.fromCharCode(b)
        next = i + 3
      } else {
        // "=" followed by trailing spaces then newline is also a soft break
        let j = i + 1
        while (j < end && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++
        if (j < end && s.charCodeAt(j) === 10) next = j + 1
        else {
          piece = '='
          next = i + 1
        }
      }
    }
    out += s.slice(pos, i) + piece
    // Text joined from many tiny pieces takes far more memory and time than the byte array: dense
    // escapes (not prose, where they are one in dozens of chars) go the byte way.
    if (++pieces > 256 && pieces * 16 > i - start) return undefined
    pos = next
    i = next < end ? s.indexOf('=', next) : -1
  }
  if (pos < end) out += s.slice(pos, end)
  // Every source char but the escapes' own (all ASCII) was copied, so this tells whether the source
  // was ASCII; checked last, so that a part with a non-ASCII escape near its start costs little.
  // Not checked when the caller knows the source is ASCII (`sourceAscii`).
  return sourceAscii || isAsciiRange(out, 0, out.length) ? out : undefined
}

const CHARSET_ALIASES: Readonly<Record<string, string>> = {
  'ks_c_5601-1987': 'euc-kr',
  'x-sjis': 'shift_jis',
  sjis: 'shift_jis',
  'shift-jis': 'shift_jis',
  cp932: 'shift_jis',
  'windows-31j': 'shift_jis',
  'x-euc-jp': 'euc-jp',
  'big5-hkscs': 'big5',
  cp950: 'big5',
  'iso-2022-jp-2': 'iso-2022-jp',
  'iso-2022-jp-3': 'iso-2022-jp',
  'x-gbk': 'gbk',
  cp936: 'gbk',
  utf8: 'utf-8',
  'x-unknown': 'windows-1252',
  unknown: 'windows-1252',
  'unknown-8bit': 'windows-1252',
  ascii: 'utf-8',
  'us-ascii': 'utf-8', // 8-bit bytes in "us-ascii" parts are most often UTF-8 in the wild
  default: 'utf-8',
}

interface Decoder {
  /** The WHATWG name of the encoding (TextDecoder.encoding). */
  readonly encoding: string
  decode(input: Uint8Array): string
}

/** Decoders by normalised label, and by label as written (null: no such charset). */
const decoders = new Map<string, Decoder | null>()
const decodersAsWritten = new Map<string, Decoder | null>()

function decoderFor(charset: string): Decoder | null {
  // Parts spell their charset the same few ways ("us-ascii", "UTF-8"): skip the normalising.
  let d = decodersAsWritten.get(charset)
  if (d === undefined) {
    d = normalisedDecoderFor(charset)
    if (decodersAsWritten.size < 64) decodersAsWritten.set(charset, d)
  }
  return d
}

function normalisedDecoderFor(charset: string): Decoder | null {
  const key = charset
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '')
  let d = decoders.get(key)
  if (d !== undefined) return d
  const label = CHARSET_ALIASES[key] ?? key
  try {
    d = new TextDecoder(label)
  } catch {
    d = null
  }
  if (decoders.size < 64) decoders.set(key, d)
  return d
}

/** WHATWG encodings whose decoders do not map every byte 0x00-0x7F to the same char. */
const NOT_ASCII_COMPATIBLE = new Set(['utf-16le', 'utf-16be', 'iso-2022-jp'])

/**
 * Whether decodeBytes gives ASCII bytes in this charset back as the same chars with no charset
 * warning: true for every charset but UTF-16 and ISO-2022-JP (escape sequences), including unknown
 * ones (they fall back to UTF-8).
 */
export function asciiDecodesAsIs(charset: string | undefined): boolean {
  if (!charset) return true
  const d = decoderFor(charset)
  return d === null || !NOT_ASCII_COMPATIBLE.has(d.encoding)
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true })
const win1252 = new TextDecoder('windows-1252')

export interface DecodedText {
  readonly text: string
  readonly charsetUnknown: boolean
}

/**
 * Bytes to text in the declared charset. Without a charset: UTF-8 when valid, else windows-1252.
 * An unknown charset falls back the same way and is reported.
 */
export function decodeBytes(bytes: Uint8Array, charset: string | undefined): DecodedText {
  if (charset) {
    const d = decoderFor(charset)
    if (d) {
      try {
        return { text: d.decode(bytes), charsetUnknown: false }
      } catch {
        /* fall through to the guess */
      }
    }
  }
  let text: string
  try {
    text = utf8Fatal.decode(bytes)
  } catch {
    text = win1252.decode(bytes)
  }
  return {
    text,
    charsetUnknown: charset !== undefined && decoderFor(charset) === null && !isAsciiBytes(bytes),
  }
}

function isAsciiBytes(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! > 0x7f) return false
  return true
}

/**
 * Decodes RFC 2047 encoded words (`=?charset?B|Q?text?=`) in an unfolded header value. Whitespace
 * between two adjacent encoded words is dropped (RFC 2047 §6.2). Linear: indexOf only.
 */
export function decodeEncodedWords(value: string, unicodeSource: boolean): string {
  if (!value.includes('=?')) return unicodeSource ? value : decodeRaw8bit(value)
  let out = ''
  let pos = 0
  let lastWasWord = false
  while (pos < value.length) {
    const s = value.indexOf('=?', pos)
    if (s < 0) break
    const q1 = value.indexOf('?', s + 2)
    const q2 = q1 < 0 ? -1 : value.indexOf('?', q1 + 1)
    const e = q2 < 0 ? -1 : value.indexOf('?=', q2 + 1)
    if (q1 < 0 || q2 !== q1 + 2 || e < 0 || q1 - s > 60) {
      // Not an encoded word: plain text, raw 8-bit bytes decoded like the rest of the value.
      const plain = value.slice(pos, s + 2)
      out += unicodeSource ? plain : decodeRaw8bit(plain)
      pos = s + 2
      lastWasWord = false
      continue
    }
    const between = value.slice(pos, s)
    if (!(lastWasWord && between.trim() === '')) {
      out += unicodeSource ? between : decodeRaw8bit(between)
    }
    const charset = value.slice(s + 2, q1).split('*')[0] ?? ''
    const enc = value.charAt(q1 + 1).toUpperCase()
    const bytes =
      enc === 'B' ? decodeBase64(value, q2 + 1, e) : decodeQuotedPrintable(value, q2 + 1, e, true)
    out += decodeBytes(bytes, charset).text
    pos = e + 2
    lastWasWord = true
  }
  const rest = value.slice(pos)
  return out + (unicodeSource ? rest : decodeRaw8bit(rest))
}

/** Raw 8-bit header bytes (a binary string): UTF-8 if valid, else windows-1252. */
export function decodeRaw8bit(s: string): string {
  if (isAsciiRange(s, 0, s.length)) return s
  return decodeBytes(binaryToBytes(s), undefined).text
}
