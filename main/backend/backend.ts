import type { z } from 'zod'
import {
  contract,
  isMethod,
  type ApiError,
  type Args,
  type Envelope,
  type Method,
  type Result,
  type StorageCode,
  CASE_TABS,
  type CaseTab,
  type ConnectorReport,
  EXPORTS_TOO_LARGE,
  EXPORTS_TOO_LARGE_ERROR,
  exportsFit,
} from '../core/api/contract'
import type { ImportInput } from '../core/connectors/types'
import { isLanguage, pickLanguage, type Language } from '../core/i18n/languages'
import { openDatabaseReadOnly, openDatabaseWithRecovery, type DB } from './db/connection'
import { backupOnQuit, maybeDailyBackup } from './db/backup'
import { DatabaseStorageError, storageErrorCode } from './db/durability/errors'
import type { RecoveryReport } from './db/recovery'
import { DatabaseNewerError, schemaVersion } from './db/migrations'
import {
  getCase,
  insertCase,
  listCases,
  listSenderDomains,
  listSteps,
  setDeleted,
  setStep,
  updateCase,
} from './db/cases'
import { getSetting, setSetting } from './db/settings'
import { existsSync, statSync } from 'node:fs'
import { exportAll, importAll } from './db/transfer'
import { extractHtmlBody } from '../core/parse/html'
import { explainCase } from './explain'
import { buildReport } from './report'
import { runJob } from './jobs'
import type { JobPool } from './job-pool'
import { deleteImport, getImport, insertImport, listImports } from './db/connector-imports'

export interface BackendOptions {
  readonly dataDir: string
  readonly mode: 'electron' | 'browser'
  readonly version: string
  /** OS locales, most preferred first (Electron's app.getPreferredSystemLanguages(), or Intl). */
  readonly systemLocales: readonly string[]
  readonly now?: () => Date
  /** Runs parsing and auditing off the caller's event loop; in-process by default (CLI, tests). */
  readonly jobs?: JobPool
  /** The OS user, who ticks steps unless the user sets another name. */
  readonly osUserName?: string
  /** Prints HTML to PDF (Electron's printToPDF); absent in browser mode and the CLI. */
  readonly renderPdf?: (html: string) => Promise<Uint8Array>
  /** Daily backup at start and a backup at shutdown (the app; not the CLI or tests). */
  readonly backups?: boolean
  /** Told after the user picks a language, e.g. to rebuild Electron's menu. */
  readonly onLanguageChanged?: (language: Language) => void
}

export interface Backend {
  /** Validates and runs one call; never throws, always answers with the envelope. */
  call(method: string, rawArgs: unknown): Promise<Envelope<unknown>>
  readonly db: DB
  /** What start-up had to repair, if anything (shown to the user once). */
  readonly recovery: RecoveryReport | undefined
  close(): void
  /** Quit: a verified backup (SQLite's backup API), then close. Never throws. */
  shutdown(): Promise<void>
}

export class ApiFailure extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message)
  }
}

/**
 * The error for arguments the schema refused. Values over a limit say which limit: connector
 * exports their own ('exports-too-large'), a pasted message its 25 MB ('too-large'), a typed value
 * (a note, a title, a tag) its length ('too-long'), a list (tags) its count ('too-many'). Anything
 * else is 'invalid-arguments'.
 */
function validationError(method: Method, issues: readonly z.core.$ZodIssue[]): ApiError {
  const first = issues[0]
  const detail = `Invalid arguments for ${method}: ${first ? `${first.path.join('.') || '(root)'} ${first.message}` : ''}`
  const big = issues.find((i) => i.code === 'too_big' || i.message === EXPORTS_TOO_LARGE)
  if (big && method === 'connectors.import') return EXPORTS_TOO_LARGE_ERROR
  if (big?.code !== 'too_big' || typeof big.maximum !== 'number') {
    return { code: 'invalid-arguments', message: detail }
  }
  if (big.path[0] === 'text' || big.path[0] === 'base64')
    return { code: 'too-large', message: detail }
  if (big.origin === 'string') {
    return {
      code: 'too-long',
      message: `${big.path.join('.')}: at most ${big.maximum} characters.`,
      params: { max: big.maximum },
    }
  }
  if (big.origin === 'array') {
    return {
      code: 'too-many',
      message: `${big.path.join('.')}: at most ${big.maximum} entries.`,
      params: { max: big.maximum },
    }
  }
  return { code: 'invalid-arguments', message: detail }
}

type Handlers = { [M in Method]: (args: Args<M>) => Result<M> | Promise<Result<M>> }

export function createBackend(opts: BackendOptions): Backend {
  let db: DB
  let recovery: RecoveryReport | undefined
  let readOnly: { code: StorageCode } | null = null
  try {
    const opened = openDatabaseWithRecovery(opts.dataDir, new Date())
    db = opened.db
    recovery = opened.recovery
  } catch (e) {
    // A read-only folder or disk still lets the user read every case (issue 6 "viewing still works").
    if (!(e instanceof DatabaseStorageError) || !e.viewable) throw e
    db = openDatabaseReadOnly(opts.dataDir)
    readOnly = { code: e.code }
  }
  // Daily backups: at start, then checked hourly for an app left open for days.
  let dailyTimer: NodeJS.Timeout | undefined
  if (!readOnly && opts.backups) {
    void maybeDailyBackup(db, opts.dataDir, new Date())
    dailyTimer = setInterval(() => {
      if (db.open) void maybeDailyBackup(db, opts.dataDir, new Date())
    }, 3_600_000)
    dailyTimer.unref()
  }
  const now = opts.now ?? (() => new Date())
  const jobs: JobPool = opts.jobs ?? {
    run: async (job) => (await runJob(job)) as never,
    close: () => Promise.resolve(),
  }
  const systemLanguage = pickLanguage(opts.systemLocales)

  const lastView = (): { caseId: number | null; tab: CaseTab } => {
    try {
      const v = JSON.parse(getSetting(db, 'lastView') ?? 'null') as {
        caseId?: unknown
        tab?: unknown
      } | null
      const id =
        typeof v?.caseId === 'number' && getCase(db, v.caseId)?.deletedAt === null ? v.caseId : null
      const tab = (CASE_TABS as readonly unknown[]).includes(v?.tab)
        ? (v!.tab as CaseTab)
        : 'explanation'
      return { caseId: id, tab }
    } catch {
      return { caseId: null, tab: 'explanation' }
    }
  }
  const settings = () => {
    const stored = getSetting(db, 'language')
    return {
      language: isLanguage(stored) ? stored : null,
      systemLanguage,
      userName: getSetting(db, 'userName') ?? opts.osUserName ?? 'admin',
      lastView: lastView(),
    }
  }

  const found = <T>(v: T | undefined, id: number): T => {
    if (v === undefined)
      throw new ApiFailure({ code: 'not-found', message: `No case ${id}.`, params: { id } })
    return v
  }
  const mustGetCase = (id: number) => {
    const c = getCase(db, id)
    if (!c) throw new ApiFailure({ code: 'not-found', message: `No case ${id}.`, params: { id } })
    return c
  }

  /** The NDR an import is checked against: its case's parse, if it has a case still there. */
  const parseOfCase = (caseId: number | null) =>
    caseId === null ? null : (getCase(db, caseId)?.parse ?? null)

  // Not 'not-found', which tells the user a case is gone.
  const importNotFound = (id: number) =>
    new ApiFailure({ code: 'import-not-found', message: `No import ${id}.`, params: { id } })
  const mustGetImport = (id: number) => {
    const stored = getImport(db, id)
    if (!stored) throw importNotFound(id)
    return stored
  }

  /**
   * Adds exports to a stored import (the export check X2 asks for, pasted after the first one).
   * The result is stored as a new import and the old one stays as it was, so replacing an export
   * by a newer one (extendImport) never loses what was stored. Nothing is stored when none of the
   * new exports could be read: the report (id 0) shows the stored inputs with the new one's error.
   */
  const extendStoredImport = async (
    id: number,
    caseId: number | undefined,
    added: readonly ImportInput[],
    language: Language,
  ): Promise<ConnectorReport> => {
    const stored = mustGetImport(id)
    if (caseId !== undefined && stored.caseId !== caseId) {
      throw new ApiFailure({
        code: 'invalid-arguments',
        message: `Import ${id} does not belong to case ${caseId}.`,
      })
    }
    if (!exportsFit([...stored.inputs, ...added])) throw new ApiFailure(EXPORTS_TOO_LARGE_ERROR)
    const parse = parseOfCase(stored.caseId)
    const at = now()
    const r = await jobs.run({
      kind: 'connectors-extend',
      stored,
      added,
      parse,
      language,
      now: at.getTime(),
    })
    if (r.addedObjects === 0) return { ...r.report, id: 0 }
    const saved = insertImport(db, stored.caseId, r.inputs, at)
    return { ...r.report, id: saved.id, createdAt: saved.createdAt }
  }

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'NDR Assistant',
      version: opts.version,
      mode: opts.mode,
      dataDir: opts.dataDir,
      schemaVersion: schemaVersion(db),
      recovery: recovery
        ? {
            movedTo: recovery.movedTo,
            restoredFrom: recovery.restoredFrom,
            backupTakenAt: recovery.backupTakenAt?.toISOString() ?? null,
            detectedAt: recovery.detectedAt.toISOString(),
          }
        : null,
      readOnly,
    }),
    'settings.get': settings,
    'settings.setLanguage': ({ language }: { language: Language }) => {
      setSetting(db, 'language', language)
      opts.onLanguageChanged?.(language)
      return settings()
    },
    'cases.analyze': async ({ text, base64, fileName }) => {
      const bytes = base64 === undefined ? null : new Uint8Array(Buffer.from(base64, 'base64'))
      const a = await jobs.run({
        kind: 'analyze',
        input: bytes ? { bytes, fileName } : { text: text ?? '', fileName },
      })
      // An input the engine cannot read at all is refused with its own localized reason and
      // nothing is stored; a readable input that holds no bounce still becomes a case.
      if (!a.parse.ok) {
        throw new ApiFailure({
          code: 'unreadable',
          message: `The input could not be read: ${a.parse.error.code}`,
          params: { reason: a.parse.error.code, ...a.parse.error.params },
        })
      }
      return insertCase(db, {
        title: a.title,
        status: a.status,
        text: text ?? '',
        bytes,
        fileName: fileName ?? null,
        parse: a.parse,
        now: now(),
      })
    },
    'settings.setLastView': ({ caseId, tab }) => {
      setSetting(db, 'lastView', JSON.stringify({ caseId, tab }))
      return settings()
    },
    'settings.setUserName': ({ userName }) => {
      setSetting(db, 'userName', userName)
      return settings()
    },
    'cases.list': (a) => listCases(db, a),
    'cases.senderDomains': () => listSenderDomains(db),
    'cases.html': ({ id }) => {
      mustGetCase(id)
      const r = db.prepare('SELECT input_text, input_bytes FROM cases WHERE id = ?').get(id) as {
        input_text: string
        input_bytes: Buffer | null
      }
      // A .msg keeps its HTML in an RTF/HTML property, not in MIME: only MIME inputs have a part.
      return { html: r.input_bytes ? null : (extractHtmlBody(r.input_text) ?? null) }
    },
    'cases.update': ({ id, ...changes }) => found(updateCase(db, id, changes, now()), id),
    'cases.delete': ({ id }) => found(setDeleted(db, id, true, now()), id),
    'cases.restore': ({ id }) => found(setDeleted(db, id, false, now()), id),
    'cases.report': async ({ id, language, format }) => {
      const detail = mustGetCase(id)
      const connectorSummaries: string[] = []
      // Newest first, at most three. An import made by adding to another carries that one's exports
      // (extendImport): an older import whose every export is in one already reported would repeat it.
      const reported = new Set<string>()
      for (const imp of listImports(db, id)) {
        if (connectorSummaries.length >= 3) break
        const stored = getImport(db, imp.id)
        if (!stored || stored.inputs.every((i) => reported.has(i.text))) continue
        for (const i of stored.inputs) reported.add(i.text)
        const r = await jobs.run({
          kind: 'connectors',
          stored,
          parse: detail.parse,
          language,
          now: now().getTime(),
        })
        connectorSummaries.push(r.summary)
      }
      if (format === 'pdf' && !opts.renderPdf) {
        throw new ApiFailure({ code: 'unsupported', message: 'PDF needs the desktop app.' })
      }
      const input = {
        detail,
        explanation: explainCase(detail.parse, language),
        steps: listSteps(db, id),
        connectorSummaries,
        language,
        generatedAt: now(),
      }
      if (format === 'pdf') {
        const pdf = await opts.renderPdf!(buildReport(input, 'html'))
        return Buffer.from(pdf).toString('base64')
      }
      return buildReport(input, format)
    },
    'cases.steps': ({ id }) => {
      mustGetCase(id)
      return listSteps(db, id)
    },
    'cases.setStep': ({ id, key, state, note, by }) => {
      mustGetCase(id)
      return setStep(db, id, { key, state, note, by: by ?? settings().userName }, now())
    },
    'cases.get': ({ id }) => mustGetCase(id),
    'cases.explain': ({ id, language }) => explainCase(mustGetCase(id).parse, language),
    'connectors.import': async ({ caseId, addTo, inputs, language }) => {
      if (addTo !== undefined) return await extendStoredImport(addTo, caseId, inputs, language)
      const parse = caseId === undefined ? null : mustGetCase(caseId).parse
      const at = now()
      const draft = {
        id: 0,
        caseId: caseId ?? null,
        createdAt: at.toISOString(),
        names: inputs.map((i) => i.name),
        inputs,
      }
      const report = await jobs.run({
        kind: 'connectors',
        stored: draft,
        parse,
        language,
        now: at.getTime(),
      })
      // Nothing readable in any input: the report (id 0) carries each input's localized error, and
      // nothing is stored.
      if (report.objects.length === 0) return report
      const stored = insertImport(db, caseId ?? null, inputs, at)
      return { ...report, id: stored.id }
    },
    'connectors.list': ({ caseId }) => listImports(db, caseId),
    'data.export': () => exportAll(db, opts.dataDir, now()),
    'data.import': ({ path }) => {
      // A folder is no file either ("not an export" would send the user looking at the wrong thing).
      if (!existsSync(path) || statSync(path).isDirectory()) {
        // Its own code: the generic 'not-found' reads "This case no longer exists" (session 4).
        throw new ApiFailure({
          code: 'file-not-found',
          message: `No file ${path}.`,
          params: { path },
        })
      }
      try {
        return importAll(db, path)
      } catch (e) {
        if (e instanceof DatabaseNewerError || storageErrorCode(e)) throw e
        throw new ApiFailure({
          code: 'not-an-export',
          message: `Not an NDR Assistant export: ${String(e)}`,
        })
      }
    },
    'connectors.delete': ({ id }) => {
      if (!deleteImport(db, id)) throw importNotFound(id)
      return { id }
    },
    'connectors.get': async ({ id, language }) => {
      const stored = mustGetImport(id)
      const parse = parseOfCase(stored.caseId)
      return jobs.run({ kind: 'connectors', stored, parse, language, now: now().getTime() })
    },
  }

  return {
    db,
    async call(method, rawArgs) {
      if (!isMethod(method)) {
        return fail({
          code: 'unknown-method',
          message: `Unknown method ${String(method).slice(0, 80)}.`,
        })
      }
      const schema: z.ZodType = contract[method].args
      const parsed = schema.safeParse(rawArgs === undefined ? {} : rawArgs)
      if (!parsed.success) return fail(validationError(method, parsed.error.issues))
      try {
        const handler = handlers[method] as (a: unknown) => unknown
        const value = await handler(parsed.data)
        return { ok: true, value }
      } catch (e) {
        return fail(toApiError(e))
      }
    },
    recovery,
    close() {
      clearInterval(dailyTimer)
      if (db.open) db.close()
    },
    async shutdown() {
      clearInterval(dailyTimer)
      if (db.open && !readOnly && opts.backups) await backupOnQuit(db, opts.dataDir, new Date())
      if (db.open) db.close()
    },
  }
}

function fail(error: ApiError): Envelope<never> {
  return { ok: false, error }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiFailure) return e.apiError
  if (e instanceof DatabaseNewerError) {
    return {
      code: 'database-newer',
      message: e.message,
      params: { found: e.found, supported: e.supported },
    }
  }
  const storage = storageErrorCode(e)
  if (storage) {
    return {
      code: 'storage',
      message: e instanceof Error ? e.message : String(e),
      params: { storage },
    }
  }
  if (
    e instanceof Error &&
    'code' in e &&
    typeof e.code === 'string' &&
    e.code.startsWith('SQLITE')
  ) {
    return { code: 'database-error', message: e.message }
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) }
}
