import type {
  CaseDetail,
  CaseState,
  CaseStep,
  CaseSummary,
  StepState,
} from '../../core/api/contract'
import type { ParseOutcome } from '../../core/parse/types'
import type { DB } from './connection'

export function listSenderDomains(db: DB): string[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT sender_domain AS d FROM cases
         WHERE sender_domain IS NOT NULL AND deleted_at IS NULL ORDER BY d LIMIT 500`,
      )
      .all() as { d: string }[]
  ).map((r) => r.d)
}

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
  state: CaseState
  ticket: string
  tags_json: string
  deleted_at: string | null
}

type SummaryRow = Pick<
  CaseRow,
  | 'id'
  | 'title'
  | 'status'
  | 'created_at'
  | 'updated_at'
  | 'state'
  | 'ticket'
  | 'tags_json'
  | 'deleted_at'
>
const SUMMARY_COLS =
  'id, title, status, created_at, updated_at, state, ticket, tags_json, deleted_at'

function tagsOf(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

function rowToSummary(r: SummaryRow): CaseSummary {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    state: r.state,
    ticket: r.ticket,
    tags: tagsOf(r.tags_json),
    deletedAt: r.deleted_at,
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

/** The searchable text of a case: title and ticket, the bounce, and every step note. */
export function reindex(db: DB, id: number): void {
  const r = db
    .prepare(
      'SELECT title, ticket, tags_json, substr(input_text, 1, 1000000) AS body FROM cases WHERE id = ?',
    )
    .get(id) as { title: string; ticket: string; tags_json: string; body: string } | undefined
  db.prepare('DELETE FROM cases_fts WHERE rowid = ?').run(id)
  if (!r) return
  const notes = (
    db.prepare("SELECT note FROM case_steps WHERE case_id = ? AND note <> ''").all(id) as {
      note: string
    }[]
  )
    .map((n) => n.note)
    .join('\n')
  db.prepare('INSERT INTO cases_fts (rowid, title, body, notes) VALUES (?, ?, ?, ?)').run(
    id,
    [r.title, r.ticket, ...tagsOf(r.tags_json)].join(' '),
    r.body,
    notes,
  )
}

function senderDomainOf(parse: ParseOutcome | null): string | null {
  if (!parse?.ok) return null
  const m = parse.messages.find((x) => x.kind !== 'not-ndr') ?? parse.messages[0]
  return m?.senderDomain?.toLowerCase() ?? null
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
  return db.transaction(() => {
    const info = db
      .prepare(
        `INSERT INTO cases (title, status, input_text, input_bytes, file_name, parse_json, created_at, updated_at, sender_domain)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        senderDomainOf(c.parse),
      )
    const id = Number(info.lastInsertRowid)
    reindex(db, id)
    return getSummary(db, id)!
  })()
}

function getSummary(db: DB, id: number): CaseSummary | undefined {
  const r = db.prepare(`SELECT ${SUMMARY_COLS} FROM cases WHERE id = ?`).get(id) as
    SummaryRow | undefined
  return r ? rowToSummary(r) : undefined
}

export interface ListOptions {
  readonly query?: string | undefined
  readonly limit?: number | undefined
  readonly state?: CaseState | undefined
  /** Deleted cases only (the trash) instead of live ones. */
  readonly trash?: boolean | undefined
  /** Status code or its prefix: `5.7` finds every 5.7.x case. */
  readonly code?: string | undefined
  /** Sender domain, exactly (case-insensitive). */
  readonly senderDomain?: string | undefined
  /** Created on or after / before these ISO dates. */
  readonly from?: string | undefined
  readonly to?: string | undefined
}

/**
 * Newest first. `query` is full-text over title, ticket, tags, the bounce and the notes (trigram:
 * three characters or more), or a prefix of the status code ("5.7" finds every 5.7.x case).
 */
export function listCases(db: DB, opts: ListOptions): CaseSummary[] {
  const where: string[] = [opts.trash ? 'deleted_at IS NOT NULL' : 'deleted_at IS NULL']
  const params: Record<string, string | number> = { limit: opts.limit ?? 200 }
  if (opts.state) {
    where.push('state = @state')
    params.state = opts.state
  }
  // A code prefix ("5.7", "5.7.750") is a range on the status index, not a scan.
  const codeRange = (prefix: string, name: string) => {
    params[`${name}Lo`] = prefix
    params[`${name}Hi`] = prefix + '\uffff'
    return `(status >= @${name}Lo AND status < @${name}Hi)`
  }
  if (opts.code) where.push(codeRange(opts.code, 'code'))
  if (opts.senderDomain) {
    where.push('sender_domain = @senderDomain')
    params.senderDomain = opts.senderDomain.trim().toLowerCase()
  }
  if (opts.from) {
    where.push('created_at >= @from')
    params.from = opts.from
  }
  if (opts.to) {
    where.push('created_at < @to')
    params.to = opts.to
  }
  const q = opts.query?.trim()
  if (q) {
    const looksLikeCode = /^[245](\.\d{0,3}){0,2}$/.test(q)
    const parts: string[] = []
    if (looksLikeCode) parts.push(codeRange(q, 'q'))
    if ([...q].length >= 3) {
      // Trigram full text; the query is one quoted phrase, so FTS5 syntax in it is inert.
      params.match = `"${q.replace(/"/g, '""')}"`
      parts.push('id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH @match)')
    } else if (!looksLikeCode) {
      params.short = q
      parts.push('instr(lower(title), lower(@short)) > 0')
    }
    where.push(`(${parts.join(' OR ')})`)
  }
  const rows = db
    .prepare(
      `SELECT ${SUMMARY_COLS} FROM cases WHERE ${where.join(' AND ')} ORDER BY updated_at DESC, id DESC LIMIT @limit`,
    )
    .all(params) as SummaryRow[]
  return rows.map(rowToSummary)
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

export interface CaseChanges {
  readonly title?: string | undefined
  readonly ticket?: string | undefined
  readonly tags?: readonly string[] | undefined
  readonly state?: CaseState | undefined
}

export function updateCase(db: DB, id: number, c: CaseChanges, now: Date): CaseSummary | undefined {
  return db.transaction(() => {
    const before = getSummary(db, id)
    if (!before) return undefined
    db.prepare(
      `UPDATE cases SET title = @title, ticket = @ticket, tags_json = @tags, state = @state, updated_at = @at
       WHERE id = @id`,
    ).run({
      id,
      title: c.title ?? before.title,
      ticket: c.ticket ?? before.ticket,
      tags: JSON.stringify(c.tags ?? before.tags),
      state: c.state ?? before.state,
      at: now.toISOString(),
    })
    reindex(db, id)
    return getSummary(db, id)
  })()
}

/** Moves a case to the trash, or back; nothing is erased. */
export function setDeleted(
  db: DB,
  id: number,
  deleted: boolean,
  now: Date,
): CaseSummary | undefined {
  const info = db
    .prepare('UPDATE cases SET deleted_at = ?, updated_at = ? WHERE id = ?')
    .run(deleted ? now.toISOString() : null, now.toISOString(), id)
  return info.changes ? getSummary(db, id) : undefined
}

interface StepRow {
  step_key: string
  state: StepState
  note: string
  updated_at: string
  updated_by: string
}

const rowToStep = (r: StepRow): CaseStep => ({
  key: r.step_key,
  state: r.state,
  note: r.note,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
})

export function listSteps(db: DB, caseId: number): CaseStep[] {
  return (
    db
      .prepare('SELECT * FROM case_steps WHERE case_id = ? ORDER BY step_key')
      .all(caseId) as StepRow[]
  ).map(rowToStep)
}

/**
 * Records one step's state and note. Committed (synchronous=FULL) before it returns, so the UI
 * shows "saved" only for what is on disk.
 */
export function setStep(
  db: DB,
  caseId: number,
  step: { key: string; state: StepState; note: string | undefined; by: string },
  now: Date,
): CaseStep {
  return db.transaction(() => {
    const at = now.toISOString()
    db.prepare(
      `INSERT INTO case_steps (case_id, step_key, state, note, updated_at, updated_by)
       VALUES (@caseId, @key, @state, coalesce(@note, ''), @at, @by)
       ON CONFLICT (case_id, step_key) DO UPDATE SET
         state = excluded.state,
         note = coalesce(@note, case_steps.note),
         updated_at = excluded.updated_at,
         updated_by = excluded.updated_by`,
    ).run({ caseId, key: step.key, state: step.state, note: step.note ?? null, at, by: step.by })
    db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(at, caseId)
    if (step.note !== undefined) reindex(db, caseId)
    const r = db
      .prepare('SELECT * FROM case_steps WHERE case_id = ? AND step_key = ?')
      .get(caseId, step.key) as StepRow
    return rowToStep(r)
  })()
}
