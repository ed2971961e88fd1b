import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, test } from 'vitest'
import type { CaseDetail, CaseStep, CaseSummary } from '../../../main/core/api/contract'
import { SCHEMA_VERSION } from '../../../main/backend/db/migrations'
import { ok, openTestBackend } from '../../support/backend'
import { REPO_ROOT } from '../../support/tmp'

const open = () => openTestBackend()
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')
const FIXTURES = join(REPO_ROOT, 'test', 'unit', 'connectors', 'fixtures')

describe('all data as one file', () => {
  test('an export imports into another store with its steps, notes and connector imports; twice changes nothing', async () => {
    const a = open().backend
    const c = await ok<CaseSummary>(
      a.call('cases.analyze', { text: readFileSync(join(FIXTURES, 'ndr-5.7.750.eml'), 'utf8') }),
    )
    await ok(
      a.call('cases.setStep', { id: c.id, key: '0:0:x', state: 'done', note: 'moved mailbox' }),
    )
    await ok(a.call('cases.update', { id: c.id, ticket: 'INC-7', tags: ['vip'] }))
    await ok(
      a.call('connectors.import', {
        caseId: c.id,
        inputs: [
          {
            name: 'accepted.fl.txt',
            text: readFileSync(join(FIXTURES, 'accepted.fl.txt'), 'utf8'),
          },
        ],
        language: 'en',
      }),
    )
    const exp = await ok<{ path: string; cases: number }>(a.call('data.export', {}))
    expect(exp.cases).toBe(1)
    const before = sha(exp.path)

    const b = open().backend
    await ok(b.call('cases.analyze', { text: '550 5.1.1 already here' }))
    expect(await ok(b.call('data.import', { path: exp.path }))).toEqual({ imported: 1, skipped: 0 })
    expect(await ok(b.call('data.import', { path: exp.path }))).toEqual({ imported: 0, skipped: 1 })
    expect(sha(exp.path)).toBe(before)

    const list = await ok<CaseSummary[]>(b.call('cases.list', { query: 'INC-7' }))
    expect(list).toHaveLength(1)
    const moved = await ok<CaseDetail>(b.call('cases.get', { id: list[0]!.id }))
    expect(moved).toMatchObject({ status: '5.7.750', ticket: 'INC-7', tags: ['vip'] })
    expect(await ok<CaseStep[]>(b.call('cases.steps', { id: moved.id }))).toEqual([
      expect.objectContaining({
        key: '0:0:x',
        state: 'done',
        note: 'moved mailbox',
        updatedBy: 'anna',
      }),
    ])
    expect(await ok<unknown[]>(b.call('connectors.list', { caseId: moved.id }))).toHaveLength(1)
    expect(await ok<CaseSummary[]>(b.call('cases.list', { query: 'moved mailbox' }))).toHaveLength(
      1,
    )
  })

  test('a file that is not an export, or one from a newer version, is refused and nothing changes', async () => {
    const { backend, dir } = open()
    const junk = join(dir, 'junk.sqlite3')
    writeFileSync(junk, 'this is not a database at all')
    expect(await backend.call('data.import', { path: junk })).toMatchObject({
      ok: false,
      error: { code: 'not-an-export' },
    })
    // Its own error: the generic 'not-found' is worded for a case ("This case no longer exists").
    expect(await backend.call('data.import', { path: join(dir, 'missing.sqlite3') })).toMatchObject(
      {
        ok: false,
        error: { code: 'file-not-found', params: { path: join(dir, 'missing.sqlite3') } },
      },
    )
    // A folder is not a file: the same answer, not "this is not an export".
    expect(await backend.call('data.import', { path: dir })).toMatchObject({
      ok: false,
      error: { code: 'file-not-found', params: { path: dir } },
    })

    const exp = await ok<{ path: string }>(backend.call('data.export', {}))
    const raw = new Database(exp.path)
    raw.pragma(`user_version = ${SCHEMA_VERSION + 10}`)
    raw.close()
    expect(await backend.call('data.import', { path: exp.path })).toMatchObject({
      ok: false,
      error: { code: 'database-newer' },
    })
    expect(await ok<unknown[]>(backend.call('cases.list', {}))).toEqual([])
  })
})
