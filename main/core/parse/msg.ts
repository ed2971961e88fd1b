// Outlook .msg (CFB/OLE2) input through @kenjiuno/msgreader. The library reads length fields from the
// file (msgreader#36: a 2.5 GB allocation), so callers run the engine in a worker with a heap cap;
// here every failure becomes a typed error.
//
// The library is passed in (ParseOptions.msgReader), not imported: loading it and its iconv-lite
// tables costs about 16 MB of memory and 10 ms, which every parse of an .eml or an mbox would pay
// (issue 3 caps the CLI's memory at twice Sisimai's). Callers load it when isCfb() says so.

import type MsgReaderDefault from '@kenjiuno/msgreader'
import { cfbIsSound } from './cfb'
import { htmlToText } from './extract'

/** The MsgReader class of @kenjiuno/msgreader (its default export). */
export type MsgReaderClass = typeof MsgReaderDefault

/** CFB signature D0 CF 11 E0 A1 B1 1A E1 ([MS-CFB] §2.2). */
export function isCfb(b: Uint8Array): boolean {
  return (
    b.length >= 8 &&
    b[0] === 0xd0 &&
    b[1] === 0xcf &&
    b[2] === 0x11 &&
    b[3] === 0xe0 &&
    b[4] === 0xa1 &&
    b[5] === 0xb1 &&
    b[6] === 0x1a &&
    b[7] === 0xe1
  )
}

const DROP = new Set(['content-type', 'content-transfer-encoding', 'mime-version'])

/**
 * Turns a .msg into the text the engine reads: the transport headers (when Outlook kept them, minus
 * the MIME structure fields since the body is already decoded) followed by the plain-text body.
 * Returns undefined when the file cannot be read.
 */
export function msgToText(bytes: Uint8Array, MsgReader: MsgReaderClass): string | undefined {
  try {
    // msgreader follows chains and sizes from the file unchecked (loops, 2 GB allocations).
    if (!cfbIsSound(bytes)) return undefined
    const reader = new MsgReader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    const data = reader.getFileData()
    if (data.error) return undefined
    const hasContent =
      (typeof data.body === 'string' && data.body.length > 0) ||
      (typeof data.bodyHtml === 'string' && data.bodyHtml.length > 0) ||
      (typeof data.headers === 'string' && data.headers.length > 0) ||
      (typeof data.subject === 'string' && data.subject.length > 0)
    if (!hasContent) return undefined
    const lines: string[] = []
    const raw = typeof data.headers === 'string' ? data.headers.replace(/\r\n?/g, '\n') : ''
    let skipping = false
    for (const line of raw.split('\n')) {
      if (line.trim() === '') break
      if (line.startsWith(' ') || line.startsWith('\t')) {
        if (!skipping) lines.push(line)
        continue
      }
      const name = line.slice(0, Math.max(0, line.indexOf(':'))).toLowerCase()
      skipping = DROP.has(name)
      if (!skipping) lines.push(line)
    }
    if (lines.length === 0) {
      if (data.subject) lines.push(`Subject: ${data.subject.replace(/[\r\n]+/g, ' ')}`)
      if (data.senderEmail) lines.push(`From: ${data.senderEmail}`)
      if (lines.length === 0) lines.push('X-Source: msg')
    }
    let body = typeof data.body === 'string' ? data.body : ''
    if (!body && typeof data.bodyHtml === 'string') body = htmlToText(data.bodyHtml)
    return lines.join('\n') + '\n\n' + body.replace(/\r\n?/g, '\n')
  } catch {
    return undefined
  }
}
