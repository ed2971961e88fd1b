// The bounce's own HTML part (Exchange's human-readable report is usually text/html), for the
// sanitized viewer. Only the top message's leaves: the returned original is not shown as HTML.
import { bytesToBinary } from './decode'
import { MAX_INPUT_BYTES } from './limits'
import { decodeLeaf, walkMime } from './mime'

/** Largest HTML handed to the viewer, in characters; the rest is cut, never parsed. */
export const MAX_HTML_CHARS = 2 * 1024 * 1024

/** The first text/html part of a single message, decoded, or undefined. Never throws. */
export function extractHtmlBody(input: Uint8Array | string): string | undefined {
  try {
    const size = typeof input === 'string' ? input.length : input.byteLength
    if (size === 0 || size > MAX_INPUT_BYTES) return undefined
    const raw = typeof input === 'string' ? input : bytesToBinary(input)
    const src = {
      s: raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw,
      unicode: typeof input === 'string',
    }
    const walked = walkMime(src)
    if (!walked.ok) return undefined
    const leaf = walked.root.leaves.find((l) => l.ct.type === 'text/html')
    if (!leaf) return undefined
    return decodeLeaf(src, leaf).text.slice(0, MAX_HTML_CHARS)
  } catch {
    return undefined
  }
}
