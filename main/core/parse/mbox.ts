// mbox (RFC 4155) splitting. Messages start at a line beginning with "From " after a blank line (or at
// the very start). The streaming splitter holds only the current message, so memory does not grow
// with the mbox; a message over the cap is dropped and reported, never buffered whole.

import { MAX_INPUT_BYTES } from './limits'

const NL = 10
const F = 0x46
const R = 0x72
const O = 0x6f
const M = 0x6d
const SP = 0x20

function isFromLineAt(buf: Uint8Array, i: number): boolean {
  return (
    i + 5 <= buf.length &&
    buf[i] === F &&
    buf[i + 1] === R &&
    buf[i + 2] === O &&
    buf[i + 3] === M &&
    buf[i + 4] === SP
  )
}

/** Whether bytes look like an mbox: the first line is a "From " separator line. */
export function looksLikeMbox(bytes: Uint8Array): boolean {
  return isFromLineAt(bytes, 0) && bytes.indexOf(NL) > 5
}

export type MboxItem =
  | { readonly ok: true; readonly message: Uint8Array; readonly index: number }
  | { readonly ok: false; readonly index: number; readonly size: number }

/**
 * Streaming splitter: `push(chunk)` returns the messages completed so far, `end()` the last one.
 * Messages keep their "From " line (the engine skips it). Pure: no I/O, chunks are copied.
 */
export class MboxSplitter {
  private parts: Uint8Array[] = []
  private size = 0
  private index = 0
  private started = false
  private oversize = false
  /** Whether the previous chunk ended with "\n" or "\n\n" (separator detection across chunks). */
  private tail = new Uint8Array(0)
  constructor(private readonly maxMessageBytes = MAX_INPUT_BYTES) {}

  push(chunk: Uint8Array): MboxItem[] {
    const out: MboxItem[] = []
    // Work on tail + chunk so that a separator split across chunks is still seen.
    const buf = new Uint8Array(this.tail.length + chunk.length)
    buf.set(this.tail, 0)
    buf.set(chunk, this.tail.length)
    let start = 0
    let search = 0
    if (!this.started) {
      if (buf.length < 5) {
        this.tail = buf
        return out
      }
      this.started = true
    }
    for (;;) {
      const nl = buf.indexOf(NL, search)
      if (nl < 0) break
      // A separator: "\nFrom " preceded by a blank line, or at the very start of the mbox.
      if (nl + 6 > buf.length) break
      if (isFromLineAt(buf, nl + 1) && (nl === 0 ? this.lastWasNl : blankBefore(buf, nl))) {
        this.append(buf.subarray(start, nl + 1))
        const item = this.finish()
        if (item) out.push(item)
        start = nl + 1
      }
      search = nl + 1
    }
    // Keep a short tail (it may start a separator); the rest belongs to the current message.
    const keepFrom = Math.max(start, buf.length - 8)
    this.append(buf.subarray(start, keepFrom))
    this.lastWasNl = keepFrom > 0 ? buf[keepFrom - 1] === NL : this.lastWasNl
    this.tail = buf.slice(keepFrom)
    return out
  }

  private lastWasNl = true

  end(): MboxItem[] {
    this.append(this.tail)
    this.tail = new Uint8Array(0)
    const item = this.finish()
    return item ? [item] : []
  }

  private append(b: Uint8Array): void {
    if (b.length === 0) return
    if (this.oversize || this.size + b.length > this.maxMessageBytes) {
      this.oversize = true
      this.size += b.length
      this.parts = []
      return
    }
    this.parts.push(b.slice())
    this.size += b.length
  }

  private finish(): MboxItem | undefined {
    if (this.size === 0) return undefined
    const index = this.index++
    let item: MboxItem
    if (this.oversize) {
      item = { ok: false, index, size: this.size }
    } else {
      const msg = new Uint8Array(this.size)
      let o = 0
      for (const p of this.parts) {
        msg.set(p, o)
        o += p.length
      }
      item = { ok: true, message: msg, index }
    }
    this.parts = []
    this.size = 0
    this.oversize = false
    // A lone blank line between messages is not a message.
    if (item.ok && isBlank(item.message)) {
      this.index--
      return undefined
    }
    return item
  }
}

/** The line ending at `nl` is empty ("\n\n" or "\n\r\n"). */
function blankBefore(b: Uint8Array, nl: number): boolean {
  const p = b[nl - 1]
  return p === NL || (p === 13 && nl >= 2 && b[nl - 2] === NL)
}

function isBlank(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!
    if (c !== NL && c !== 13 && c !== SP && c !== 9) return false
  }
  return true
}

/** Splits a whole mbox held in memory (offsets only; no copies). */
export function splitMbox(bytes: Uint8Array, max: number): Uint8Array[] | 'tooMany' {
  const out: Uint8Array[] = []
  let start = 0
  let search = 0
  for (;;) {
    const nl = bytes.indexOf(NL, search)
    if (nl < 0) break
    if (nl > 0 && blankBefore(bytes, nl) && isFromLineAt(bytes, nl + 1)) {
      if (out.length >= max) return 'tooMany'
      out.push(bytes.subarray(start, nl + 1))
      start = nl + 1
    }
    search = nl + 1
  }
  if (start < bytes.length) out.push(bytes.subarray(start))
  return out.filter((m) => !isBlank(m))
}
