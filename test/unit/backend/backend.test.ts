import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, test } from 'vitest'
import { createBackend, type Backend } from '../../../main/backend/backend'
import { DB_FILE_NAME } from '../../../main/backend/db/connection'
import { SCHEMA_VERSION } from '../../../main/backend/db/migrations'
import {
  MAX_INPUT_CHARS,
  METHODS,
  type CaseDetail,
  type CaseStep,
  type CaseSummary,
} from '../../../main/core/api/contract'
import { ok } from '../../support/backend'
import { buildMsg } from '../../support/cfb'
import { tempDir } from '../../support/tmp'

const BOUNCE = `Remote Server returned '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains'`

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function open(dir?: string): { backend: Backend; dir: string } {
  const t = dir ? { dir, cleanup: () => undefined } : tempDir()
  const backend = createBackend({
    dataDir: t.dir,
    mode: 'browser',
    version: '9.9.9',
    systemLocales: ['fr-FR'],
    now: () => new Date('2026-11-23T10:00:00Z'),
  })
  cleanups.push(() => backend.close(), t.cleanup)
  return { backend, dir: t.dir }
}

describe('backend', () => {
  test('analyze stores a case with the first enhanced status code, and it survives a reopen', async () => {
    const { backend, dir } = open()
    const r = await backend.call('cases.analyze', { text: BOUNCE, fileName: 'bounce.txt' })
    expect(r).toMatchObject({
      ok: true,
      value: { id: 1, status: '5.7.750', createdAt: '2026-11-23T10:00:00.000Z' },
    })
    backend.close()

    const again = createBackend({
      dataDir: dir,
      mode: 'browser',
      version: '9.9.9',
      systemLocales: [],
    })
    cleanups.push(() => again.close())
    const list = await again.call('cases.list', {})
    expect(list.ok && list.value).toEqual([expect.objectContaining({ id: 1, status: '5.7.750' })])
    const detail = await again.call('cases.get', { id: 1 })
    expect(detail).toMatchObject({ ok: true, value: { text: BOUNCE, fileName: 'bounce.txt' } })
  })

  test('a case without any status code is still stored, with a null status', async () => {
    const { backend } = open()
    const r = await backend.call('cases.analyze', { text: 'Subject: Out of office\n\nI am away.' })
    expect(r).toMatchObject({ ok: true, value: { status: null, title: 'Out of office' } })
  })

  test('search filters the list', async () => {
    const { backend } = open()
    await backend.call('cases.analyze', { text: BOUNCE })
    await backend.call('cases.analyze', {
      text: 'Subject: Undeliverable: hello\n\n550 5.1.10 RESOLVER.ADR.RecipientNotFound',
    })
    const r = await backend.call('cases.list', { query: '5.1.10' })
    expect(r.ok && (r.value as CaseSummary[]).map((c) => c.status)).toEqual(['5.1.10'])
  })

  test('the language choice is remembered; the system language is reported', async () => {
    const { backend, dir } = open()
    expect(await backend.call('settings.get', {})).toEqual({
      ok: true,
      value: {
        language: null,
        systemLanguage: 'fr',
        userName: expect.any(String) as unknown,
        lastView: { caseId: null, tab: 'explanation' },
      },
    })
    await backend.call('settings.setLanguage', { language: 'ja' })
    backend.close()
    const again = createBackend({ dataDir: dir, mode: 'browser', version: '1', systemLocales: [] })
    cleanups.push(() => again.close())
    expect(await again.call('settings.get', {})).toEqual({
      ok: true,
      value: {
        language: 'ja',
        systemLanguage: 'en',
        userName: expect.any(String) as unknown,
        lastView: { caseId: null, tab: 'explanation' },
      },
    })
  })

  test.each([
    ['unknown method', 'cases.drop', {}, 'unknown-method'],
    ['prototype key as method', '__proto__', {}, 'unknown-method'],
    ['missing argument', 'cases.analyze', {}, 'invalid-arguments'],
    ['wrong type', 'cases.get', { id: '1' }, 'invalid-arguments'],
    ['extra key', 'cases.list', { limit: 5, sql: 'DROP TABLE cases' }, 'invalid-arguments'],
    ['unsupported language', 'settings.setLanguage', { language: 'de' }, 'invalid-arguments'],
    ['negative id', 'cases.get', { id: -1 }, 'invalid-arguments'],
    ['not an object', 'cases.list', 'x', 'invalid-arguments'],
    ['missing case', 'cases.get', { id: 42 }, 'not-found'],
  ])('%s gives a typed error and writes nothing', async (_name, method, args, code) => {
    const { backend } = open()
    const r = await backend.call(method, args)
    expect(r).toMatchObject({ ok: false, error: { code } })
    expect(backend.db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 })
  })

  test('an input over the limit is refused before any parsing', async () => {
    const { backend } = open()
    const r = await backend.call('cases.analyze', { text: 'x'.repeat(MAX_INPUT_CHARS + 1) })
    expect(r).toMatchObject({ ok: false, error: { code: 'too-large' } })
  })

  test('a typed value over its limit is refused with that limit, not with the 25 MB of a paste', async () => {
    const { backend } = open()
    const c = await ok<CaseSummary>(
      backend.call('cases.analyze', {
        text: "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found'",
      }),
    )
    const refused = async (method: string, args: unknown) => {
      const r = await backend.call(method, args)
      return r.ok ? r : { code: r.error.code, params: r.error.params }
    }
    expect(await refused('cases.update', { id: c.id, title: 'x'.repeat(201) })).toEqual({
      code: 'too-long',
      params: { max: 200 },
    })
    expect(
      await refused('cases.update', {
        id: c.id,
        tags: Array.from({ length: 21 }, (_, i) => `t${i}`),
      }),
    ).toEqual({ code: 'too-many', params: { max: 20 } })
    expect(
      await refused('cases.setStep', {
        id: c.id,
        key: 'k',
        state: 'done',
        note: 'n'.repeat(10_001),
      }),
    ).toEqual({ code: 'too-long', params: { max: 10_000 } })
    expect(await refused('settings.setUserName', { userName: 'u'.repeat(101) })).toEqual({
      code: 'too-long',
      params: { max: 100 },
    })
    expect(await refused('cases.analyze', { text: 'x', fileName: 'f'.repeat(256) })).toEqual({
      code: 'too-long',
      params: { max: 255 },
    })
    // Nothing was changed by any of them.
    const same = await ok<CaseDetail>(backend.call('cases.get', { id: c.id }))
    expect([same.title, same.tags]).toEqual([c.title, []])
    expect(await ok<CaseStep[]>(backend.call('cases.steps', { id: c.id }))).toEqual([])
    // A value at the limit is accepted.
    const saved = await ok<CaseSummary>(
      backend.call('cases.update', { id: c.id, title: 'x'.repeat(200) }),
    )
    expect(saved.title).toHaveLength(200)
  })

  test('every contract method answers with an envelope, even with hostile arguments', async () => {
    const { backend } = open()
    const hostile = [
      null,
      1,
      [],
      { __proto__: { admin: true } },
      JSON.parse('{"__proto__": {"x": 1}}'),
      { a: 'x'.repeat(1000) },
    ]
    for (const m of METHODS) {
      for (const h of hostile) {
        const r = await backend.call(m, h)
        expect(typeof r.ok).toBe('boolean')
      }
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })
})

describe('database', () => {
  test('opens in WAL mode with synchronous=FULL, foreign keys and the current schema version', () => {
    const { backend } = open()
    expect(backend.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(backend.db.pragma('synchronous', { simple: true })).toBe(2)
    expect(backend.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(backend.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
  })

  test('a database from a newer version is refused with a clear message and left byte-for-byte untouched', async () => {
    const { backend, dir } = open()
    await backend.call('cases.analyze', { text: BOUNCE })
    backend.close()
    const file = join(dir, DB_FILE_NAME)
    const raw = new Database(file)
    raw.pragma(`user_version = ${SCHEMA_VERSION + 10}`)
    raw.pragma('wal_checkpoint(TRUNCATE)')
    raw.close()
    const before = createHash('sha256').update(readFileSync(file)).digest('hex')
    expect(() =>
      createBackend({ dataDir: dir, mode: 'browser', version: '1', systemLocales: [] }),
    ).toThrow(/newer version of NDR Assistant/)
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before)
  })
})

describe('analysis through the parsing engine', () => {
  test('the stored case carries the engine result per recipient', async () => {
    const { backend } = open()
    const r = await backend.call('cases.analyze', { text: BOUNCE })
    const id = r.ok ? (r.value as CaseSummary).id : 0
    const d = await backend.call('cases.get', { id })
    expect(d).toMatchObject({
      ok: true,
      value: {
        parse: { ok: true, messages: [{ recipients: [{ status: '5.7.750', replyCode: '550' }] }] },
      },
    })
  })

  test('an Outlook .msg is read (the .msg reader is loaded on demand) and stored', async () => {
    const msg = buildMsg(BOUNCE).bytes
    const { backend } = open()
    const r = await backend.call('cases.analyze', {
      base64: Buffer.from(msg).toString('base64'),
      fileName: 'bounce.msg',
    })
    expect(r.ok).toBe(true)
    const id = r.ok ? (r.value as CaseSummary).id : 0
    expect(await backend.call('cases.get', { id })).toMatchObject({
      ok: true,
      value: { parse: { ok: true, messages: [{ recipients: [{ status: '5.7.750' }] }] } },
    })
  })

  test('text and base64 together, or neither, are refused', async () => {
    const { backend } = open()
    expect(await backend.call('cases.analyze', { text: 'x', base64: 'eA==' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    })
    expect(await backend.call('cases.analyze', { fileName: 'a.msg' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    })
  })

  test('a binary file the engine cannot read is refused with its reason, and nothing is stored', async () => {
    const { backend } = open()
    const junk = Buffer.from(
      Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256),
    ).toString('base64')
    const r = await backend.call('cases.analyze', { base64: junk, fileName: 'junk.bin' })
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'unreadable', params: { reason: expect.any(String) as unknown } },
    })
    expect(backend.db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 })
  })
})

describe('pasted text', () => {
  test('pasted binary junk is refused with its reason, and nothing is stored', async () => {
    const { backend } = open()
    const junk = Array.from({ length: 3000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(
      '',
    )
    expect(await backend.call('cases.analyze', { text: junk })).toMatchObject({
      ok: false,
      error: { code: 'unreadable' },
    })
    expect(backend.db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 })
  })

  test('control chars never reach a case title', async () => {
    const { backend } = open()
    const r = await backend.call('cases.analyze', {
      text: `\u0007Bounce\u0000\u0000 of\ttoday\n${BOUNCE}`,
    })
    expect(r).toMatchObject({ ok: true, value: { title: 'Bounce of today' } })
  })
})

describe('migrations', () => {
  test('a schema-10 database with cases is upgraded in place, keeping every case', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const raw = new Database(join(t.dir, DB_FILE_NAME))
    const { updateToSchemaVersion10 } =
      await import('../../../main/backend/db/migrations/0010-initial')
    updateToSchemaVersion10(raw)
    raw.pragma('user_version = 10')
    raw
      .prepare(
        `INSERT INTO cases (title, status, input_text, file_name, created_at, updated_at)
         VALUES ('old', '5.1.1', 'text', NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
      )
      .run()
    raw.close()
    const { backend } = open(t.dir)
    expect(backend.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    const d = await backend.call('cases.get', { id: 1 })
    expect(d).toMatchObject({
      ok: true,
      value: { title: 'old', status: '5.1.1', text: 'text', parse: null },
    })
  })
})
