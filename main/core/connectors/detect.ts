import type { ExportFormat } from './types'
import { hasDtd } from './readers/clixml'
import { FL_LINE } from './readers/formatList'

/**
 * Decodes the bytes of an export file: UTF-16 LE with BOM is Export-Clixml's default in Windows
 * PowerShell 5.1 and also what `>` redirection writes there (brief §3.9, §3.10).
 */
export function decodeExportBytes(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  }
  // UTF-16 LE without BOM: every other byte of ASCII text is zero.
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) {
    return new TextDecoder('utf-16le').decode(bytes)
  }
  return new TextDecoder('utf-8').decode(bytes)
}

/** Removes a BOM and repairs UTF-16 text that was decoded one byte per character (NULs between). */
export function cleanText(text: string): string {
  let t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (t.startsWith('\u00ff\u00fe') || t.startsWith('\ufffd\ufffd')) t = t.slice(2)
  const head = t.slice(0, 200)
  let nuls = 0
  for (const ch of head) if (ch === '\u0000') nuls++
  if (head.length > 0 && nuls * 3 >= head.length) t = t.split('\u0000').join('')
  return t
}

const CSV_HEADER_HINT =
  /\b(?:ConnectorType|SmartHosts|DomainName|SenderIPAddresses|SenderDomains|RecipientDomains|DomainType|Identity|Name|Enabled|Guid)\b/

/** Recognizes the format from the first bytes and lines (brief §3.10). `text` is cleaned. */
export function detectFormat(text: string): ExportFormat {
  const start = text.slice(0, 4096).trimStart()
  if (start.startsWith('<')) {
    // Any DTD goes to the CLIXML reader, which refuses it with its own error (reliability.md §4.3).
    if (hasDtd(start)) return 'clixml'
    return /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<Objs[\s>]/.test(start)
      ? 'clixml'
      : 'unknown'
  }
  if (/^#TYPE\s/i.test(start)) return 'csv'
  if (start.startsWith('[') || start.startsWith('{')) return 'json'
  const lines = start.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '')
  const first = lines[0] ?? ''
  // Format-Table: a header row, then a row of dashes (very lossy; brief §3.10 asks for another format).
  if (lines.length >= 2 && /^[-\s]+$/.test(lines[1]!) && lines[1]!.includes('--'))
    return 'formatTable'
  let flLines = 0
  for (const l of lines.slice(0, 40))
    if (FL_LINE.test(l.slice(0, 1000)) && !l.startsWith('"')) flLines++
  if (flLines >= 2) return 'formatList'
  if ((first.startsWith('"') || /[,;\t]/.test(first)) && CSV_HEADER_HINT.test(first)) return 'csv'
  if (flLines === 1 && lines.length === 1) return 'formatList'
  return 'unknown'
}
