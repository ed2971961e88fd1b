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
 * Finds the next "\nFrom " that lies wholly within `chunk`, at or after `from`: the offset of its
 * "\n", or -1. An occurrence cut by the chunk's end is not reported (the splitter keeps the last
 * bytes of a chunk and looks at them again with the next one).
 */
export type FromLineFinder = (chunk: Uint8Array, from: number) => number

/**
 * The portable finder: a native search per line ("\n"), then five byte comparisons. The CLI, which
 * owns Node's Buffer, passes a native multi-byte search instead: one call per separator rather than
 * one per line (a 41 MB mbox of 5,040 bounces has ~600,000 lines; session 3 measured the split at
 * 36 ms this way and 13 ms with Buffer#indexOf).
 */
export function findFromLine(chunk: Uint8Array, from: number): number {
  const n = chunk.length
  for (let i = chunk.indexOf(NL, from); i >= 0 && i + 6 <= n; i = chunk.indexOf(NL, i + 1)) {
    if (
      chunk[i + 1] === F &&
      chunk[i + 2] === R &&
      chunk[i + 3] === O &&
      chunk[i + 4] === M &&
      chunk[i + 5] === SP
    )
      return i
  }
  return -1
}

/**
 * Streaming splitter: `push(chunk)` returns the messages completed so far, `end()` the last one.
 * Messages keep their "From " line (the engine skips it). Pure: no I/O. A message that lies within
 * one chunk is a view of it (`subarray`, so a Buffer chunk gives Buffer messages, no copy); a
 * message spread over several chunks is copied into one array.
 *
 * By default a chunk must not be modified after it is pushed: the start of the message in progress
 * may still be a view of it. With `reusedChunks`, the caller may overwrite a chunk once it has used
 * the messages push returned (the CLI reads every chunk into the same buffer: session 4 measured
 * 41 MB read in 8-9 ms that way, 18-22 ms into a fresh buffer per chunk, the page faults of new
 * memory); the splitter then copies the part it keeps, about one partial message per chunk.
 */
export class MboxSplitter {
  private parts: Uint8Array[] = []
  private size = 0
  private index = 0
  private started = false
  private oversize = false
  /** The last few bytes seen, not yet assigned: a separator may straddle two chunks. */
  private tail = new Uint8Array(0)
  private readonly maxMessageBytes: number
  private readonly find: FromLineFinder
  private readonly reusedChunks: boolean
  constructor(
    maxMessageBytes = MAX_INPUT_BYTES,
    find: FromLineFinder = findFromLine,
    reusedChunks = false,
  ) {
    this.maxMessageBytes = maxMessageBytes
    this.find = find
    this.reusedChunks = reusedChunks
  }

  push(chunk: Uint8Array): MboxItem[] {
    const out: MboxItem[] = []
    // The text examined is tail + chunk, read through at() rather than copied.
    const tail = this.tail
    const tl = tail.length
    const total = tl + chunk.length
    if (!this.started) {
      if (total < 5) {
        const t = new Uint8Array(total)
        t.set(tail, 0)
        t.set(chunk, tl)
        this.tail = t
        return out
      }
      this.started = true
    }
    const at = (i: number): number | undefined => (i < tl ? tail[i] : chunk[i - tl])
    let start = 0
    let search = 0
    for (;;) {
      let nl = -1
      // A separator: "\nFrom " preceded by a blank line, or at the very start of the mbox.
      let separator = false
      if (search < tl) {
        // The few tail bytes (at most 8): a "\n" there may start a separator that ends in chunk.
        for (let i = search; i < tl; i++) {
          if (tail[i] !== NL) continue
          if (i + 6 > total) break
          nl = i
          break
        }
        if (nl < 0) {
          search = tl
          continue
        }
        separator =
          at(nl + 1) === F &&
          at(nl + 2) === R &&
          at(nl + 3) === O &&
          at(nl + 4) === M &&
          at(nl + 5) === SP &&
          (nl === 0 ? this.lastWasNl : blankBeforeAt(at, nl))
      } else {
        // The hot path: the finder's search runs over the chunk itself.
        const k = this.find(chunk, search - tl)
        if (k < 0) break
        nl = k + tl
        separator =
          k >= 2
            ? blankBefore(chunk, k)
            : k === 0 && tl === 0
              ? this.lastWasNl
              : blankBeforeAt(at, nl)
      }
      if (separator) {
        this.appendRange(tail, chunk, start, nl + 1)
        const item = this.finish()
        if (item) out.push(item)
        start = nl + 1
      }
      search = nl + 1
    }
    // Keep a short tail (it may start a separator); the rest belongs to the current message.
    const keepFrom = Math.max(start, total - 8)
    const kept = this.parts.length
    this.appendRange(tail, chunk, start, keepFrom)
    // The parts appended just now are views of tail (already a copy) or of chunk, which the caller
    // is about to overwrite. (Parts kept from earlier pushes were copied then.) `new Uint8Array(v)`
    // copies; `v.slice()` would not when v is a Node Buffer (Buffer#slice is a view).
    if (this.reusedChunks)
      for (let k = kept; k < this.parts.length; k++) this.parts[k] = new Uint8Array(this.parts[k]!)
    this.lastWasNl = keepFrom > 0 ? at(keepFrom - 1) === NL : this.lastWasNl
    const t = new Uint8Array(total - keepFrom)
    for (let i = keepFrom; i < total; i++) t[i - keepFrom] = at(i)!
    this.tail = t
    return out
  }

  private lastWasNl = true

  end(): MboxItem[] {
    this.append(this.tail)
    this.tail = new Uint8Array(0)
    const item = this.finish()
    return item ? [item] : []
  }

  /** Appends bytes [start, end) of tail + chunk. */
  private appendRange(tail: Uint8Array, chunk: Uint8Array, start: number, end: number): void {
    const tl = tail.length
    if (start < tl) this.append(tail.subarray(start, Math.min(end, tl)))
    if (end > tl) this.append(chunk.subarray(Math.max(start, tl) - tl, end - tl))
  }

  private append(b: Uint8Array): void {
    if (b.length === 0) return
    if (this.oversize || this.size + b.length > this.maxMessageBytes) {
      this.oversize = true
      this.size += b.length
      this.parts = []
      return
    }
    this.parts.push(b)
    this.size += b.length
  }

  private finish(): MboxItem | undefined {
    if (this.size === 0) return undefined
    const index = this.index++
    let item: MboxItem
    if (this.oversize) {
      item = { ok: false, index, size: this.size }
    } else if (this.parts.length === 1) {
      item = { ok: true, message: this.parts[0]!, index }
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

function blankBeforeAt(at: (i: number) => number | undefined, nl: number): boolean {
  const p = at(nl - 1)
  return p === NL || (p === 13 && nl >= 2 && at(nl - 2) === NL)
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
