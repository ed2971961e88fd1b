import type { ConnectorImportSummary } from '../../core/api/contract'
import type { ImportInput } from '../../core/connectors/types'
import type { DB } from './connection'

interface ImportRow {
  id: number
  case_id: number | null
  inputs_json: string
  created_at: string
}

export interface StoredImport extends ConnectorImportSummary {
  readonly inputs: readonly ImportInput[]
}

function rowToImport(r: ImportRow): StoredImport {
  const inputs = JSON.parse(r.inputs_json) as ImportInput[]
  return {
    id: r.id,
    caseId: r.case_id,
    createdAt: r.created_at,
    names: inputs.map((i) => i.name),
    inputs,
  }
}

export function insertImport(
  db: DB,
  caseId: number | null,
  inputs: readonly ImportInput[],
  now: Date,
): StoredImport {
  const at = now.toISOString()
  const info = db
    .prepare('INSERT INTO connector_imports (case_id, inputs_json, created_at) VALUES (?, ?, ?)')
    .run(caseId, JSON.stringify(inputs), at)
  return {
    id: Number(info.lastInsertRowid),
    caseId,
    createdAt: at,
    names: inputs.map((i) => i.name),
    inputs,
  }
}

/** Removes an import; false when there was none. */
export function deleteImport(db: DB, id: number): boolean {
  return db.prepare('DELETE FROM connector_imports WHERE id = ?').run(id).changes === 1
}

export function getImport(db: DB, id: number): StoredImport | undefined {
  const r = db.prepare('SELECT * FROM connector_imports WHERE id = ?').get(id) as
    ImportRow | undefined
  return r ? rowToImport(r) : undefined
}

/** Newest first; for one case, or every import when no case is given. */
export function listImports(db: DB, caseId: number | undefined): ConnectorImportSummary[] {
  const rows = (
    caseId === undefined
      ? db.prepare('SELECT * FROM connector_imports ORDER BY id DESC LIMIT 200').all()
      : db.prepare('SELECT * FROM connector_imports WHERE case_id = ? ORDER BY id DESC').all(caseId)
  ) as ImportRow[]
  return rows.map((r) => {
    const { inputs: _inputs, ...summary } = rowToImport(r)
    return summary
  })
}
