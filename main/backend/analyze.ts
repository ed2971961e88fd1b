import { FIELD_LIMITS } from '../core/api/limits'
import { parseBounce, type ParseOutcome } from '../core/parse'
import { withMsgReader } from './msg-reader'

/** What the backend stores for a new case. Computed in the parse worker in the app. */
export interface Analysis {
  readonly title: string
  readonly status: string | null
  readonly parse: ParseOutcome
}

export type AnalyzeInput =
  | { readonly text: string; readonly fileName?: string | undefined }
  | { readonly bytes: Uint8Array; readonly fileName?: string | undefined }

// eslint-disable-next-line no-control-regex -- matching control chars is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\ufffd]+/g

/**
 * Runs the parsing engine and derives the case's title and headline status: the first message's
 * primary status, its original subject (what the user recognises), else the file name or first line.
 */
export async function analyzeInput(input: AnalyzeInput): Promise<Analysis> {
  const data = 'text' in input ? input.text : input.bytes
  const opts = await withMsgReader(data, input.fileName ? { fileName: input.fileName } : {})
  const parse = parseBounce(data, opts)
  const first = parse.ok ? parse.messages[0] : undefined
  const status = first?.primaryStatus ?? null
  const firstLine =
    'text' in input
      ? input.text
          .slice(0, 4000)
          .split(/\r\n|\r|\n/, 50)
          .map((l) => l.trim())
          .find((l) => l.length > 0)
      : undefined
  // Control chars (C0, DEL, C1) and U+FFFD have no place in a title: a stray one in a subject or a
  // pasted first line would show as a box in the case list.
  const title = (first?.originalSubject || first?.subject || input.fileName || firstLine || '')
    .replace(CONTROL_CHARS, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, FIELD_LIMITS.title)
  return { title, status, parse }
}
