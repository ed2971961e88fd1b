// Why a file could not be read, in the user's language. The CLI used to print Node's error code
// ("ENOENT") or its English message; helpdesk staff asked neither for (session 4, reading a missing
// file with --lang ja printed "… を読み取れませんでした: ENOENT").

import { errorCode } from '../backend/db/durability/errors'

/** The error codes the CLI explains in words (errors:file.<CODE> in every locale). */
export const FILE_ERROR_CODES = [
  'ENOENT',
  'EACCES',
  'EPERM',
  'EISDIR',
  'ENOTDIR',
  'EMFILE',
  'ENFILE',
  'EBUSY',
  'EIO',
  'ELOOP',
  'ENAMETOOLONG',
] as const

const KNOWN: ReadonlySet<string> = new Set(FILE_ERROR_CODES)

/** A localized reason for a failed read; the error's own code or message when it is not one of those. */
export function fileErrorReason(t: (key: string) => string, e: unknown): string {
  const code = errorCode(e)
  if (code !== undefined && KNOWN.has(code)) return t(`errors:file.${code}`)
  if (code !== undefined) return code
  return e instanceof Error ? e.message : String(e)
}
