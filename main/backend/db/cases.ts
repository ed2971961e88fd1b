import type { CaseDetail, CaseSummary } from '../../core/api/contract'
import type { DB } from './connection'

interface CaseRow {
  id: number
  title: string
  status: string | null
  input_text: string
  file_name: string | null
  created_at: string
  updated_at: string
}

function rowToSummary(r: Omit<CaseRow, 'input_text' | 'file_name'>): CaseSummary {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export interface NewCase {
  readonly title: string
  readonly status: string | null
  readonly text: string
  readonly fileName: string | null
  readonly now: Date
}

export function insertCase(db: DB, c: NewCase): CaseSummary {
  const at = c.now.toISOString()
  const info = db
    .prepare(
      `INSERT INTO cases (title, status, input_text, file_name, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(c.title, c.status, c.text, c.fileName, at, at)
  return {
    id: Number(info.lastInsertRowid),
    title: c.title,
    status: c.status,
    createdAt: at,
    updatedAt: at,
  }
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
  return (rows as CaseRow[]).map(rowToSummary)
}

export function getCase(db: DB, id: number): CaseDetail | undefined {
  const r = db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined
  if (!r) return undefined
  return { ...rowToSummary(r), text: r.input_text, fileName: r.file_name }
}
