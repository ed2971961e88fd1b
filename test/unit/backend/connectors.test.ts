import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { Backend } from '../../../main/backend/backend'
import type {
  CaseSummary,
  ConnectorImportSummary,
  ConnectorReport,
} from '../../../main/core/api/contract'
import { ok, openTestBackend } from '../../support/backend'
import { REPO_ROOT } from '../../support/tmp'

const FIXTURES = join(REPO_ROOT, 'test', 'unit', 'connectors', 'fixtures')
const fixture = (name: string) => ({ name, text: readFileSync(join(FIXTURES, name), 'utf8') })

/** A backend on a fresh data folder, or reopening `dir` (a restart). */
const open = (dir?: string): { backend: Backend; dir: string } => openTestBackend({}, dir)

describe('connector imports in the store', () => {
  test('exports imported with a 5.7.750 case are audited against its NDR, stored, and reopen in another language', async () => {
    const { backend, dir } = open()
    const c = await ok<CaseSummary>(
      backend.call('cases.analyze', {
        text: readFileSync(join(FIXTURES, 'ndr-5.7.750.eml'), 'utf8'),
      }),
    )
    expect(c.status).toBe('5.7.750')
    const report = await ok<ConnectorReport>(
      backend.call('connectors.import', {
        caseId: c.id,
        inputs: [
          fixture('inbound.ps7.json.txt'),
          fixture('accepted.fl.txt'),
          fixture('outbound.ps51.csv'),
        ],
        language: 'en',
      }),
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
        error: { code: 'too-large' },
      },
    )
    const big = [1, 2].map((i) => ({ name: `f${i}.csv`, text: 'x'.repeat(6_000_000) }))
    expect(await backend.call('connectors.import', { inputs: big, language: 'en' })).toMatchObject({
      ok: false,
    })
  })
})
