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

/** True when every char is ASCII: such text decodes the same in every ASCII-compatible charset. */
export function isAscii(s: string, start = 0, end = s.length): boolean {
  // fast native path; control chars other than tab/CR/LF fall back to the exact loop
  if (start === 0 && end === s.length && !NON_ASCII.test(s)) return true
  for (let i = start; i < end; i++) if (s.charCodeAt(i) > 0x7f) return false
  return true
}
const NON_ASCII = /[^\t\n\r\x20-\x7e]/

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
    const c = s.charCodeAt(i)
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
  decode(input: Uint8Array): string
}

const decoders = new Map<string, Decoder | null>()

function decoderFor(charset: string): Decoder | null {
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
      out += value.slice(pos, s + 2)
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
  if (isAscii(s)) return s
  return decodeBytes(binaryToBytes(s), undefined).text
}
