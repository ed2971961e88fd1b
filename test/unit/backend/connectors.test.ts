import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { Backend } from '../../../main/backend/backend'
import type {
  CaseSummary,
  ConnectorImportSummary,
  ConnectorReport,
} from '../../../main/core/api/contract'
import type { Language } from '../../../main/core/i18n/languages'
import { ok, openTestBackend } from '../../support/backend'
import { REPO_ROOT } from '../../support/tmp'

const FIXTURES = join(REPO_ROOT, 'test', 'unit', 'connectors', 'fixtures')
const fixture = (name: string) => ({ name, text: readFileSync(join(FIXTURES, name), 'utf8') })

/** The case of the fixtures' 5.7.750 bounce. */
const case750 = (backend: Backend) =>
  ok<CaseSummary>(
    backend.call('cases.analyze', {
      text: readFileSync(join(FIXTURES, 'ndr-5.7.750.eml'), 'utf8'),
    }),
  )

/** `connectors.import` of fixture files: a new import, or one added to `addTo`. */
const importFixtures = (
  backend: Backend,
  files: readonly string[],
  more: { caseId?: number; addTo?: number; language?: Language } = {},
) =>
  ok<ConnectorReport>(
    backend.call('connectors.import', { language: 'en', ...more, inputs: files.map(fixture) }),
  )

/** A backend on a fresh data folder, or reopening `dir` (a restart). */
const open = (dir?: string): { backend: Backend; dir: string } => openTestBackend({}, dir)

describe('connector imports in the store', () => {
  test('exports imported with a 5.7.750 case are audited against its NDR, stored, and reopen in another language', async () => {
    const { backend, dir } = open()
    const c = await case750(backend)
    expect(c.status).toBe('5.7.750')
    const report = await importFixtures(
      backend,
      ['inbound.ps7.json.txt', 'accepted.fl.txt', 'outbound.ps51.csv'],
      { caseId: c.id },
    )
    expect(report.id).toBeGreaterThan(0)
    expect(new Set(report.objects.map((o) => o.type))).toEqual(
      new Set(['InboundConnector', 'AcceptedDomain', 'OutboundConnector']),
    )
    expect(report.inputs.every((i) => i.errors.length === 0)).toBe(true)
    expect(report.findings.length).toBeGreaterThan(0)
    // Findings that explain the bounce come first.
    const firstUnrelated = report.findings.findIndex((f) => !f.explainsNdr)
    const lastRelated = report.findings.map((f) => f.explainsNdr).lastIndexOf(true)
    if (firstUnrelated >= 0 && lastRelated >= 0) expect(lastRelated).toBeLessThan(firstUnrelated)
    expect(report.summary.length).toBeGreaterThan(20)
    backend.close()

    const again = open(dir).backend
    const list = await ok<ConnectorImportSummary[]>(again.call('connectors.list', { caseId: c.id }))
    expect(list).toEqual([expect.objectContaining({ id: report.id, caseId: c.id })])
    const fr = await ok<ConnectorReport>(
      again.call('connectors.get', { id: report.id, language: 'fr' }),
    )
    expect(fr.findings.map((f) => f.rule)).toEqual(report.findings.map((f) => f.rule))
    expect(fr.findings[0]?.title).not.toBe(report.findings[0]?.title)
  })

  test('an input that cannot be read is reported with its localized error and not stored', async () => {
    const { backend } = open()
    const report = await ok<ConnectorReport>(
      backend.call('connectors.import', {
        inputs: [{ name: 'notes.txt', text: 'hello, this is not an export' }],
        language: 'ja',
      }),
    )
    expect(report.id).toBe(0)
    expect(report.inputs[0]?.errors.length).toBeGreaterThan(0)
    expect(await ok<ConnectorImportSummary[]>(backend.call('connectors.list', {}))).toEqual([])
  })

  test('a finding about a group of connectors counts on every member row', async () => {
    const { backend } = open()
    const relay = (name: string, ip: string) => ({
      Name: name,
      Enabled: true,
      ConnectorType: 'Partner',
      SenderIPAddresses: [ip],
      RequireTls: true,
      TlsSenderCertificateName: null,
      WhenCreatedUTC: '2024-03-01T10:00:00Z',
      WhenChangedUTC: '2024-03-01T10:00:00Z',
    })
    const text = JSON.stringify([
      relay('Branch A', '203.0.113.25'),
      relay('Branch B', '203.0.113.0/27'),
      relay('Branch C', '203.0.113.25'),
      relay('Elsewhere', '198.51.100.7'),
    ])
    const report = await ok<ConnectorReport>(
      backend.call('connectors.import', { inputs: [{ name: 'in.json', text }], language: 'fr' }),
    )
    // One I13 finding for the three connectors sharing 203.0.113.25 (not one per pair)...
    const i13 = report.findings.filter((f) => f.rule === 'I13')
    expect(i13).toHaveLength(1)
    expect(i13[0]?.object).toBe('Branch A')
    expect(i13[0]?.message).toBe(
      "« Branch A » n'est pas le seul connecteur entrant qui correspond à " +
        '203.0.113.0/27, 203.0.113.25 (SenderIPAddresses). ' +
        'Partagé avec : Branch B, Branch C (3 connecteurs au total).',
    )
    // ...that each member's row counts, and the connector outside the group does not.
    expect(report.objects.map((o) => [o.identity, o.findings, o.worst])).toEqual([
      ['Branch A', 1, 'info'],
      ['Branch B', 1, 'info'],
      ['Branch C', 1, 'info'],
      ['Elsewhere', 0, null],
    ])
  })

  test('too many files or too much text is refused before any reading', async () => {
    const { backend } = open()
    const many = Array.from({ length: 21 }, (_, i) => ({ name: `f${i}.csv`, text: 'x' }))
    expect(await backend.call('connectors.import', { inputs: many, language: 'en' })).toMatchObject(
      {
        ok: false,
        error: { code: 'exports-too-large' },
      },
    )
    const big = [1, 2].map((i) => ({ name: `f${i}.csv`, text: 'x'.repeat(6_000_000) }))
    expect(await backend.call('connectors.import', { inputs: big, language: 'en' })).toMatchObject({
      ok: false,
      error: { code: 'exports-too-large' },
    })
  })

  test('an export added to an import is audited with the others and stored as a new import; the old one stays', async () => {
    const { backend } = open()
    const c = await case750(backend)
    const first = await importFixtures(backend, ['inbound.fl.txt'], {
      caseId: c.id,
      language: 'it',
    })
    // Without Get-AcceptedDomain, the checks that need it cannot run (X2), N1 among them.
    const x2 = first.findings.filter((f) => f.rule === 'X2')
    expect(x2.map((f) => f.message)).toEqual([expect.stringContaining('Get-AcceptedDomain')])
    expect(first.findings.map((f) => f.rule)).not.toContain('N1')
    const added = await importFixtures(backend, ['accepted.ps7.json.txt'], {
      caseId: c.id,
      addTo: first.id,
      language: 'it',
    })
    expect(added.id).toBeGreaterThan(first.id)
    expect(added.names).toEqual(['inbound.fl.txt', 'accepted.ps7.json.txt'])
    expect(added.replaced).toEqual([])
    expect(new Set(added.objects.map((o) => o.type))).toEqual(
      new Set(['InboundConnector', 'AcceptedDomain']),
    )
    // Now N1 runs: the 5.7.750's sender domain is not one of the tenant's accepted domains.
    expect(added.findings.map((f) => f.rule)).not.toContain('X2')
    expect(added.findings.find((f) => f.rule === 'N1')?.message).toContain('contoso-invoices.net')
    // The inbound findings are still there: the first export was not dropped.
    expect(added.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['I4', 'I9', 'I12']))
    // Both stay listed, newest first; the old one reads as it was.
    const list = await ok<ConnectorImportSummary[]>(
      backend.call('connectors.list', { caseId: c.id }),
    )
    expect(list.map((i) => i.id)).toEqual([added.id, first.id])
    const old = await ok<ConnectorReport>(
      backend.call('connectors.get', { id: first.id, language: 'it' }),
    )
    expect(old.findings.map((f) => f.rule)).toEqual(first.findings.map((f) => f.rule))
    const again = await ok<ConnectorReport>(
      backend.call('connectors.get', { id: added.id, language: 'it' }),
    )
    expect(again.findings.map((f) => f.rule)).toEqual(added.findings.map((f) => f.rule))
    expect(again.replaced).toEqual([])

    // A fresh export of the inbound connectors replaces the Format-List one.
    const fresh = await importFixtures(backend, ['inbound.ps7.json.txt'], {
      addTo: added.id,
      language: 'fr',
    })
    expect(fresh.replaced).toEqual(['inbound.fl.txt'])
    expect(fresh.caseId).toBe(c.id)
    expect(fresh.names).toEqual(['accepted.ps7.json.txt', 'inbound.ps7.json.txt'])
  })

  test('adding something unreadable stores nothing and shows the stored inputs with its error', async () => {
    const { backend } = open()
    const first = await importFixtures(backend, ['inbound.fl.txt'], { language: 'ja' })
    const r = await ok<ConnectorReport>(
      backend.call('connectors.import', {
        addTo: first.id,
        inputs: [{ name: 'notes.txt', text: 'hello, this is not an export' }],
        language: 'ja',
      }),
    )
    expect(r.id).toBe(0)
    expect(r.inputs.map((i) => i.name)).toEqual(['inbound.fl.txt', 'notes.txt'])
    expect(r.inputs[1]?.errors.length).toBeGreaterThan(0)
    expect(r.objects.length).toBe(2)
    const list = await ok<ConnectorImportSummary[]>(backend.call('connectors.list', {}))
    expect(list.map((i) => i.id)).toEqual([first.id])
  })

  test("a stale import, another case's import, or too much together are refused with their own errors", async () => {
    const { backend } = open()
    const c = await case750(backend)
    const first = await importFixtures(backend, ['inbound.fl.txt'])
    expect(await backend.call('connectors.get', { id: 999, language: 'en' })).toMatchObject({
      ok: false,
      error: { code: 'import-not-found' },
    })
    expect(
      await backend.call('connectors.import', {
        addTo: 999,
        inputs: [fixture('accepted.fl.txt')],
        language: 'en',
      }),
    ).toMatchObject({ ok: false, error: { code: 'import-not-found' } })
    // The import belongs to no case: it cannot be added to from this case's tab.
    expect(
      await backend.call('connectors.import', {
        caseId: c.id,
        addTo: first.id,
        inputs: [fixture('accepted.fl.txt')],
        language: 'en',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
    // Each call is within the limits; together with the stored input they are not.
    const big = { name: 'big.csv', text: 'x'.repeat(9_999_000) }
    expect(
      await backend.call('connectors.import', { addTo: first.id, inputs: [big], language: 'en' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'exports-too-large', params: { files: 20, chars: 10_000_000 } },
    })
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.csv`, text: 'x' }))
    expect(
      await backend.call('connectors.import', { addTo: first.id, inputs: many, language: 'en' }),
    ).toMatchObject({ ok: false, error: { code: 'exports-too-large' } })
    expect(await ok<ConnectorImportSummary[]>(backend.call('connectors.list', {}))).toHaveLength(1)
  })

  test('an import is deleted for good, the others and the case stay', async () => {
    const { backend, dir } = open()
    const c = await case750(backend)
    const a = await importFixtures(backend, ['inbound.fl.txt'], { caseId: c.id })
    const b = await importFixtures(backend, ['accepted.fl.txt'], { caseId: c.id, addTo: a.id })
    expect(await ok(backend.call('connectors.delete', { id: b.id }))).toEqual({ id: b.id })
    expect(await backend.call('connectors.get', { id: b.id, language: 'en' })).toMatchObject({
      ok: false,
      error: { code: 'import-not-found' },
    })
    expect(await backend.call('connectors.delete', { id: b.id })).toMatchObject({
      ok: false,
      error: { code: 'import-not-found' },
    })
    backend.close()
    // Gone from the file too, not only from this connection.
    const again = open(dir).backend
    const list = await ok<ConnectorImportSummary[]>(again.call('connectors.list', { caseId: c.id }))
    expect(list.map((i) => i.id)).toEqual([a.id])
    expect(await ok<CaseSummary[]>(again.call('cases.list', {}))).toHaveLength(1)
    const raw = again.db
      .prepare('SELECT count(*) AS n FROM connector_imports WHERE id = ?')
      .get(b.id) as { n: number }
    expect(raw.n).toBe(0)
  })

  test('the case report shows an import once, not again through the import that extends it', async () => {
    const { backend } = open()
    const c = await case750(backend)
    const first = await importFixtures(backend, ['inbound.fl.txt'], { caseId: c.id })
    const added = await importFixtures(backend, ['accepted.fl.txt'], {
      caseId: c.id,
      addTo: first.id,
    })
    const md = await ok<string>(
      backend.call('cases.report', { id: c.id, language: 'en', format: 'md' }),
    )
    const count = (needle: string) => md.split(needle).length - 1
    // The extended import's summary is there (it names N1); the first one's (with X2) is not.
    expect(count(added.summary.trim())).toBe(1)
    expect(count(first.summary.trim())).toBe(0)
    // A separate import of something else is reported too.
    const other = await importFixtures(backend, ['outbound.fl.txt'], { caseId: c.id })
    const md2 = await ok<string>(
      backend.call('cases.report', { id: c.id, language: 'en', format: 'md' }),
    )
    expect(md2).toContain(other.summary.trim())
    expect(md2).toContain(added.summary.trim())
  })
})
