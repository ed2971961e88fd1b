// Telling text from binary input before anything is decoded (issue 3 "Bad input").

/** Control bytes that text never has (tab, LF, VT, FF, CR and ESC, for ISO-2022-JP, excepted). */
const CONTROL_BYTE = new Uint8Array(256)
for (let c = 0; c < 32; c++) CONTROL_BYTE[c] = c < 9 || (c > 13 && c !== 27) ? 1 : 0

/** How much of the input is sampled, and the share of control bytes above which it is not text. */
const SAMPLE = 8192
const MAX_CONTROL_SHARE = 0.05

/** Share of control bytes in the first 8 KB: above a few percent it is not text (random or binary). */
export function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, SAMPLE)
  let bad = 0
  let i = 0
  // Four bytes at a time where the view is aligned: a word with no byte below 0x20 (most words of
  // text) holds no control byte and costs one test; the others are counted byte by byte. This runs
  // on every message of an mbox (session 3: ~4x faster than a table lookup per byte).
  const head = Math.min(n, (4 - (b.byteOffset & 3)) & 3)
  for (; i < head; i++) bad += CONTROL_BYTE[b[i]!]!
  const words = (n - i) >> 2
  if (words > 0) {
    const w32 = new Uint32Array(b.buffer, b.byteOffset + i, words)
    for (let k = 0; k < words; k++) {
      const w = w32[k]!
      // Non-zero when some byte is below 0x20 ("hasless(x, 0x20)", Bit Twiddling Hacks).
      if (((w - 0x20202020) & ~w & 0x80808080) !== 0)
        bad +=
          CONTROL_BYTE[w & 0xff]! +
          CONTROL_BYTE[(w >>> 8) & 0xff]! +
          CONTROL_BYTE[(w >>> 16) & 0xff]! +
          CONTROL_BYTE[w >>> 24]!
    }
    i += words * 4
  }
  for (; i < n; i++) bad += CONTROL_BYTE[b[i]!]!
  return bad > n * MAX_CONTROL_SHARE
}

/**
 * looksBinary for pasted text: the share of control chars (the same set) and U+FFFD in the first
 * 8 K chars. A binary file opened in a text editor and copied (a .msg in Notepad, say) arrives as
 * such a string; it used to be stored as a case titled with its control chars (session 5, found
 * pasting into the app).
 */
export function looksBinaryText(s: string): boolean {
  const n = Math.min(s.length, SAMPLE)
  let bad = 0
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 32) bad += CONTROL_BYTE[c]!
    else if (c === 0xfffd) bad++
  }
  return bad > n * MAX_CONTROL_SHARE
}
