/**
 * Large pastes and files (reliability P4: no long task ≥ 50 ms on the UI thread, feedback ≤ 100 ms).
 * A textarea holding megabytes of text costs seconds of layout on every change, so text above
 * LARGE_TEXT_CHARS never enters one: the renderer keeps it in a ref and shows a summary with the
 * first lines.
 */

import { useEffect, useRef } from 'react'

/** Above this many characters a paste or file is shown as a summary, not in the text box. */
export const LARGE_TEXT_CHARS = 256 * 1024

const PREVIEW_LINES = 20
const PREVIEW_LINE_CHARS = 200

/** The first lines, each cut to a readable width, for the summary: a few kilobytes at most. */
export function previewOf(text: string): string {
  return text
    .slice(0, PREVIEW_LINES * (PREVIEW_LINE_CHARS + 2))
    .split(/\r\n|\r|\n/)
    .slice(0, PREVIEW_LINES)
    .map((l) => (l.length > PREVIEW_LINE_CHARS ? `${l.slice(0, PREVIEW_LINE_CHARS)}…` : l))
    .join('\n')
}

/** Characters measured per step of measureTextInSteps: a few milliseconds each. */
export const MEASURE_STEP_CHARS = 1024 * 1024

/**
 * Lines (CRLF, LF or a lone CR each end one) and the size in UTF-8 bytes, as the backend sees it,
 * one step of MEASURE_STEP_CHARS at a time: the caller yields to the event loop between steps, so
 * no step is a long task. (Pasted text comes from the clipboard as an external two-byte string, on
 * which this loop measured ~4 ms per MB in Chromium on a 2-core machine: 40 ms for 10 MB in one go.)
 */
export function* measureTextInSteps(
  text: string,
  step = MEASURE_STEP_CHARS,
): Generator<void, { lines: number; bytes: number }> {
  let lines = 1
  let bytes = text.length
  for (let from = 0; from < text.length; from += step) {
    if (from > 0) yield
    const to = Math.min(text.length, from + step)
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i)
      if (c === 10) lines++
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) lines++
      else if (c >= 0x80) bytes += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2
    }
  }
  if (text.endsWith('\n') || text.endsWith('\r')) lines--
  return { lines: Math.max(lines, text.length > 0 ? 1 : 0), bytes }
}

/** measureTextInSteps in one go. */
export function measureText(text: string): { lines: number; bytes: number } {
  const steps = measureTextInSteps(text)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

/**
 * "10.0 MB" (or "64 kB" below a megabyte) in the UI language, in units of 1024, as the 25 MB limit
 * is stated.
 */
export function formatSize(bytes: number, lng: string): string {
  const mb = bytes >= 1024 * 1024
  return new Intl.NumberFormat(lng, {
    style: 'unit',
    unit: mb ? 'megabyte' : 'kilobyte',
    minimumFractionDigits: mb ? 1 : 0,
    maximumFractionDigits: mb ? 1 : 0,
  }).format(bytes / (mb ? 1024 * 1024 : 1024))
}

/**
 * Whether this page may read the clipboard asynchronously (navigator.clipboard.readText) without
 * asking: the permission is already granted. Kept up to date when the user changes it.
 */
export function useClipboardReadable(): { current: boolean } {
  const readable = useRef(false)
  useEffect(() => {
    let status: PermissionStatus | undefined
    const update = () => (readable.current = status?.state === 'granted')
    navigator.permissions
      ?.query({ name: 'clipboard-read' as PermissionName })
      .then((s) => {
        status = s
        update()
        s.addEventListener('change', update)
      })
      .catch(() => (readable.current = false))
    return () => status?.removeEventListener('change', update)
  }, [])
  return readable
}
