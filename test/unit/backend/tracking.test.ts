import { describe, expect, test } from 'vitest'
import type { Backend } from '../../../main/backend/backend'
import type { CaseStep, CaseSummary } from '../../../main/core/api/contract'
import { ok, openTestBackend } from '../../support/backend'

let clock = Date.parse('2026-11-23T09:00:00Z')
/** A backend on a fresh data folder, or reopening `dir` (a restart). */
const open = (dir?: string): { backend: Backend; dir: string } =>
  openTestBackend({ osUserName: 'helpdesk.anna', now: () => new Date((clock += 60_000)) }, dir)

const ids = (cases: CaseSummary[]) => cases.map((c) => c.id).sort()

describe('remediation tracking', () => {
  test('step states and notes are kept with author and time, and survive a reopen', async () => {
    const { backend, dir } = open()
    const c = await ok<CaseSummary>(
      backend.call('cases.analyze', {
        text: '550 5.7.750 Client blocked from sending from unregistered domains',
      }),
    )
    const step = await ok<CaseStep>(
      backend.call('cases.setStep', { id: c.id, key: '0:0:addAcceptedDomain', state: 'done' }),
    )
    expect(step).toMatchObject({ state: 'done', note: '', updatedBy: 'helpdesk.anna' })
    await ok(
      backend.call('cases.setStep', {
        id: c.id,
        key: '0:0:checkConnectors',
        state: 'skipped',
        note: 'Waiting for the network team',
        by: 'marco',
      }),
    )
    // A state change without a note keeps the note.
    await ok(backend.call('cases.setStep', { id: c.id, key: '0:0:checkConnectors', state: 'na' }))
    backend.close()

    const again = open(dir).backend
    const steps = await ok<CaseStep[]>(again.call('cases.steps', { id: c.id }))
    expect(steps).toEqual([
      expect.objectContaining({
        key: '0:0:addAcceptedDomain',
        state: 'done',
        updatedBy: 'helpdesk.anna',
      }),
      expect.objectContaining({
        key: '0:0:checkConnectors',
        state: 'na',
        note: 'Waiting for the network team',
      }),
    ])
  })

  test.each([[{ state: 'finished' }], [{ key: '' }], [{ note: 'x'.repeat(10_001) }]])(
    'an invalid step %j is refused and writes nothing',
    async (bad) => {
      const { backend } = open()
      const c = await ok<CaseSummary>(
        backend.call('cases.analyze', { text: '550 5.1.1 unknown user' }),
      )
      const r = await backend.call('cases.setStep', { id: c.id, key: 'k', state: 'done', ...bad })
      expect(r.ok).toBe(false)
      expect(await ok<CaseStep[]>(backend.call('cases.steps', { id: c.id }))).toEqual([])
    },
  )

  test('title, ticket, tags and state are updated; the list filters by state', async () => {
    const { backend } = open()
    const a = await ok<CaseSummary>(
      backend.call('cases.analyze', { text: '550 5.1.1 unknown user' }),
    )
    const b = await ok<CaseSummary>(
      backend.call('cases.analyze', {
        text: '550 5.7.708 Access denied, traffic not accepted from this IP',
      }),
    )
    const updated = await ok<CaseSummary>(
      backend.call('cases.update', {
        id: b.id,
        title: 'Tenant blocked',
        ticket: 'INC-4711',
        tags: ['urgent', 'eop'],
        state: 'resolved',
      }),
    )
    expect(updated).toMatchObject({
      title: 'Tenant blocked',
      ticket: 'INC-4711',
      tags: ['urgent', 'eop'],
      state: 'resolved',
    })
    expect(ids(await ok(backend.call('cases.list', { state: 'open' })))).toEqual([a.id])
    expect(ids(await ok(backend.call('cases.list', { state: 'resolved' })))).toEqual([b.id])
  })

  test('full-text search covers the bounce, the notes, the ticket and Japanese text', async () => {
    const { backend } = open()
    const ja = await ok<CaseSummary>(
      backend.call('cases.analyze', {
        text: '配信不能: 宛先のメールボックスが見つかりません\n550 5.1.10 RESOLVER.ADR.RecipientNotFound',
      }),
    )
    const en = await ok<CaseSummary>(
      backend.call('cases.analyze', {
        text: '550 5.7.750 Client blocked from sending from unregistered domains',
      }),
    )
    await ok(
      backend.call('cases.setStep', {
        id: en.id,
        key: '0:0:x',
        state: 'done',
        note: 'Called Contoso support about the relay',
      }),
    )
    await ok(backend.call('cases.update', { id: ja.id, ticket: 'INC-9001' }))
    const search = async (query: string) =>
      ids(await ok<CaseSummary[]>(backend.call('cases.list', { query })))
    expect(await search('メールボックス')).toEqual([ja.id])
    expect(await search('unregistered')).toEqual([en.id])
    expect(await search('Contoso support')).toEqual([en.id])
    expect(await search('INC-9001')).toEqual([ja.id])
    expect(await search('5.7')).toEqual([en.id])
    expect(await search('"; DROP TABLE cases; --')).toEqual([])
    expect(await search('nothing like this anywhere')).toEqual([])
  })

  test('delete moves a case to the trash and restore brings it back; nothing is erased', async () => {
    const { backend } = open()
    const c = await ok<CaseSummary>(
      backend.call('cases.analyze', { text: '550 5.1.1 unknown user' }),
    )
    await ok(backend.call('cases.setStep', { id: c.id, key: 'k', state: 'done' }))
    await ok(backend.call('cases.delete', { id: c.id }))
    expect(await ok(backend.call('cases.list', {}))).toEqual([])
    expect(ids(await ok(backend.call('cases.list', { trash: true })))).toEqual([c.id])
    await ok(backend.call('cases.restore', { id: c.id }))
    expect(ids(await ok(backend.call('cases.list', {})))).toEqual([c.id])
    expect(await ok<CaseStep[]>(backend.call('cases.steps', { id: c.id }))).toHaveLength(1)
  })
})
