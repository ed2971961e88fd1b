import { describe, expect, test } from 'vitest'
import { buildConnectorReport } from '../../../main/backend/connectors'
import { LIMITS } from '../../../main/core/connectors'
import type { ConnectorReport } from '../../../main/core/api/contract'
import { NOW } from './helpers'

/** As many inbound connectors as one export may hold (LIMITS.maxObjects). */
const N = LIMITS.maxObjects

const nameOf = (i: number): string => `Relay ${String(i).padStart(5, '0')}`

/**
 * `Get-InboundConnector | ConvertTo-Json` (PowerShell 7) of N connectors relaying for branch
 * offices, in the shape of fixtures/inbound.ps7.json.txt: one sender IP each, no certificate.
 */
function inboundExport(ipOf: (i: number) => string): string {
  const records = Array.from({ length: N }, (_, i) => ({
    Enabled: true,
    ConnectorType: 'OnPremises',
    ConnectorSource: 'AdminUI',
    Comment: 'Relay for a branch office',
    SenderIPAddresses: [ipOf(i)],
    SenderDomains: ['smtp:*;1'],
    TrustedOrganizations: [],
    AssociatedAcceptedDomains: [],
    RequireTls: true,
    RestrictDomainsToIPAddresses: false,
    RestrictDomainsToCertificate: false,
    CloudServicesMailEnabled: false,
    TreatMessagesAsInternal: false,
    TlsSenderCertificateName: null,
    EFSkipLastIP: false,
    EFSkipIPs: [],
    Identity: { Name: nameOf(i), DistinguishedName: `CN=${nameOf(i)},CN=Transport Settings` },
    Name: nameOf(i),
    WhenCreatedUTC: '2024-03-01T10:00:00Z',
    WhenChangedUTC: '2024-03-01T10:00:00Z',
    Guid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    IsValid: true,
  }))
  return JSON.stringify(records, null, 2)
}

/** The report exactly as the app's worker builds it for an import without a case. */
function report(text: string): ConnectorReport {
  return buildConnectorReport(
    {
      id: 0,
      caseId: null,
      createdAt: new Date(NOW).toISOString(),
      names: ['inbound.json'],
      inputs: [{ name: 'inbound.json', text }],
    },
    null,
    'en',
    NOW,
  )
}

function expectImported(r: ConnectorReport): void {
  expect(r.inputs).toEqual([
    expect.objectContaining({
      format: 'json',
      objectTypes: ['InboundConnector'],
      objectCount: N,
      errors: [],
    }),
  ])
  expect(r.objects).toHaveLength(N)
}

// Rule I13 (overlapping connectors) once compared every pair and the report filtered every
// finding for every object: 500 connectors sharing an address made 124,750 findings in 17 s, and
// an export at the cap went past the worker's 30 s. The counts below are what keeps it bounded.
describe(`audit of ${N} inbound connectors (the import cap)`, () => {
  test('all sharing one sender IP: one I13 finding for the group, marked on every connector', () => {
    const r = report(inboundExport(() => '203.0.113.25'))
    expectImported(r)
    const i13 = r.findings.filter((f) => f.rule === 'I13')
    expect(i13).toHaveLength(1)
    expect(i13[0]).toMatchObject({
      object: nameOf(0),
      property: 'SenderIPAddresses',
      value: '203.0.113.25',
      severity: 'info',
    })
    expect(i13[0]?.message).toBe(
      `“${nameOf(0)}” is not the only inbound connector that matches 203.0.113.25 ` +
        `(SenderIPAddresses). Shared with: ${[1, 2, 3, 4, 5].map(nameOf).join(', ')}, … ` +
        `(${N} connectors in all).`,
    )
    // The rest is one I5 per connector (OnPremises by IP without a certificate).
    expect(r.findings).toHaveLength(N + 1)
    expect(r.findings.filter((f) => f.rule === 'I5')).toHaveLength(N)
    // Each connector's row counts its I5 and the group's I13.
    expect(r.objects.every((o) => o.findings === 2 && o.worst === 'low')).toBe(true)
    expect(r.csv.trimEnd().split(/\r?\n/)).toHaveLength(N + 2)
  })

  test('all with distinct sender IPs: no I13, one finding per connector', () => {
    const r = report(inboundExport((i) => `198.18.${Math.floor(i / 256)}.${i % 256}`))
    expectImported(r)
    expect(r.findings.filter((f) => f.rule === 'I13')).toEqual([])
    expect(r.findings).toHaveLength(N)
    expect(r.objects.every((o) => o.findings === 1 && o.worst === 'low')).toBe(true)
  })
})
