import type { CaseDetail, CaseSummary } from '../../core/api/contract'
import type { ParseOutcome } from '../../core/parse/types'
import type { DB } from './connection'

interface CaseRow {
  id: number
  title: string
  status: string | null
  input_text: string
  input_bytes: Buffer | null
  file_name: string | null
  parse_json: string | null
  created_at: string
  updated_at: string
}

type SummaryRow = Pick<CaseRow, 'id' | 'title' | 'status' | 'created_at' | 'updated_at'>

function rowToSummary(r: SummaryRow): CaseSummary {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function parseFromJson(json: string | null): ParseOutcome | null {
  if (json === null) return null
  try {
    return JSON.parse(json) as ParseOutcome
  } catch {
    return null
  }
}

export interface NewCase {
  readonly title: string
  readonly status: string | null
  readonly text: string
  readonly bytes: Uint8Array | null
  readonly fileName: string | null
  readonly parse: ParseOutcome | null
  readonly now: Date
}

export function insertCase(db: DB, c: NewCase): CaseSummary {
  const at = c.now.toISOString()
  const info = db
    .prepare(
      `INSERT INTO cases (title, status, input_text, input_bytes, file_name, parse_json, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      c.title,
      c.status,
      c.text,
      c.bytes ? Buffer.from(c.bytes) : null,
      c.fileName,
      c.parse ? JSON.stringify(c.parse) : null,
      at,
      at,
    )
  return rowToSummary({
    id: Number(info.lastInsertRowid),
    title: c.title,
    status: c.status,
    created_at: at,
    updated_at: at,
  })
}

/** Newest first. `query` matches title, status or file name (full-text search comes with FTS5). */
export function listCases(
  db: DB,
  opts: { query?: string | undefined; limit?: number | undefined },
): CaseSummary[] {
  const limit = opts.limit ?? 200
  const cols = 'id, title, status, created_at, updated_at'
  const q = opts.query?.trim()
  const rows = q
    ? db
        .prepare(
          `SELECT ${cols} FROM cases
           WHERE instr(lower(title), lower(@q)) > 0 OR instr(lower(coalesce(status, '')), lower(@q)) > 0
              OR instr(lower(coalesce(file_name, '')), lower(@q)) > 0
           ORDER BY updated_at DESC, id DESC LIMIT @limit`,
        )
        .all({ q, limit })
    : db.prepare(`SELECT ${cols} FROM cases ORDER BY updated_at DESC, id DESC LIMIT ?`).all(limit)
  return (rows as SummaryRow[]).map(rowToSummary)
}

export function getCase(db: DB, id: number): CaseDetail | undefined {
  const r = db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined
  if (!r) return undefined
  return {
    ...rowToSummary(r),
    text: r.input_text,
    binarySize: r.input_bytes ? r.input_bytes.length : null,
    fileName: r.file_name,
    parse: parseFromJson(r.parse_json),
  }
}
