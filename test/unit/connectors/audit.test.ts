import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { cleanDomain, overlaps, parseRange } from '../../../main/core/connectors/net'
import {
  auditTenant,
  looksRandom,
  type AuditOptions,
  type Finding,
  type NdrCrossCheck,
} from '../../../main/core/connectors'
import { importFixtures, importJson, NOW } from './helpers'

const OLD = '2024-01-10T00:00:00Z'
const RECENT = '2026-05-12T02:03:55Z'

const inbound = (o: Record<string, unknown> = {}): Record<string, unknown> => ({
  Name: 'Gateway inbound',
  Comment: 'Mail from our scanning gateway',
  Enabled: true,
  ConnectorType: 'Partner',
  ConnectorSource: 'AdminUI',
  SenderIPAddresses: [],
  SenderDomains: ['smtp:*;1'],
  AssociatedAcceptedDomains: [],
  RequireTls: true,
  RestrictDomainsToIPAddresses: true,
  RestrictDomainsToCertificate: false,
  CloudServicesMailEnabled: false,
  TreatMessagesAsInternal: false,
  TlsSenderCertificateName: null,
  EFSkipLastIP: false,
  EFSkipIPs: [],
  WhenCreatedUTC: OLD,
  WhenChangedUTC: OLD,
  ...o,
})

const outbound = (o: Record<string, unknown> = {}): Record<string, unknown> => ({
  Name: 'To partner',
  Comment: 'Route to the partner by MX',
  Enabled: true,
  UseMXRecord: true,
  ConnectorType: 'Partner',
  ConnectorSource: 'AdminUI',
  RecipientDomains: ['fabrikam.com'],
  SmartHosts: [],
  TlsSettings: 'DomainValidation',
  TlsDomain: 'mail.fabrikam.com',
  IsTransportRuleScoped: false,
  RouteAllMessagesViaOnPremises: false,
  AllAcceptedDomains: false,
  MtaStsMode: 'Opportunistic',
  SmtpDaneMode: 'Opportunistic',
  TestMode: false,
  IsValidated: true,
  WhenCreatedUTC: OLD,
  WhenChangedUTC: OLD,
  ...o,
})

const domain = (name: string, o: Record<string, unknown> = {}): Record<string, unknown> => ({
  DomainName: name,
  Name: name,
  DomainType: 'Authoritative',
  Default: false,
  MatchSubDomains: false,
  InitialDomain: false,
  WhenCreatedUTC: '2021-06-02T07:20:15Z',
  ...o,
})

function audit(
  records: Record<string, unknown>[],
  ndr?: NdrCrossCheck,
  options: AuditOptions = {},
): readonly Finding[] {
  const result = importJson(...records)
  for (const input of result.inputs) expect(input.errors).toEqual([])
  return auditTenant(result.objects, ndr, { now: NOW, ...options })
}

const rules = (f: readonly Finding[]): string[] => f.map((x) => x.rule)
const only = (f: readonly Finding[], rule: string): Finding[] => f.filter((x) => x.rule === rule)

describe('inbound checks (brief §4.1)', () => {
  test('I1 fires on a new OnPremises connector not made by the HCW', () => {
    const f = only(
      audit([
        inbound({ ConnectorType: 'OnPremises', WhenCreatedUTC: RECENT, WhenChangedUTC: RECENT }),
      ]),
      'I1',
    )
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({
      severity: 'high',
      property: 'WhenCreatedUTC',
      objectType: 'InboundConnector',
    })
    expect(f[0]!.params.days).toBe(7)
  })
  test('I1 stays silent for HybridWizard, Partner or old connectors', () => {
    const f = audit([
      inbound({
        Name: 'A',
        ConnectorType: 'OnPremises',
        ConnectorSource: 'HybridWizard',
        WhenCreatedUTC: RECENT,
        WhenChangedUTC: RECENT,
      }),
      inbound({
        Name: 'B',
        ConnectorType: 'Partner',
        WhenCreatedUTC: RECENT,
        WhenChangedUTC: RECENT,
      }),
      inbound({ Name: 'C', ConnectorType: 'OnPremises' }),
    ])
    expect(rules(f)).not.toContain('I1')
  })
  test('I2 fires on a recent change long after creation, lowered to Info for HCW connectors', () => {
    const f = audit([
      inbound({ Name: 'Manual', WhenChangedUTC: '2026-05-15T00:00:00Z' }),
      inbound({
        Name: 'Inbound from 2c7e9f40-51d3-4b8a-a6f2-93d0c1e4b7a5',
        ConnectorType: 'OnPremises',
        ConnectorSource: 'HybridWizard',
        CloudServicesMailEnabled: true,
        WhenChangedUTC: '2026-05-15T00:00:00Z',
      }),
    ])
    expect(only(f, 'I2').map((x) => [x.object, x.severity])).toEqual([
      ['Manual', 'medium'],
      ['Inbound from 2c7e9f40-51d3-4b8a-a6f2-93d0c1e4b7a5', 'info'],
    ])
  })
  test('I2 stays silent for a new connector (created = changed) and an old change', () => {
    const f = audit([
      inbound({ Name: 'New', WhenCreatedUTC: RECENT, WhenChangedUTC: RECENT }),
      inbound({ Name: 'Old', WhenChangedUTC: '2025-01-01T00:00:00Z' }),
    ])
    expect(rules(f)).not.toContain('I2')
  })
  test('I3 flags IPs outside the admin list, severity high when the connector is new', () => {
    const f = audit(
      [
        inbound({ Name: 'Mixed', SenderIPAddresses: ['198.51.100.10', '45.137.20.0/24'] }),
        inbound({
          Name: 'New',
          ConnectorType: 'OnPremises',
          SenderIPAddresses: ['45.137.21.5'],
          WhenCreatedUTC: RECENT,
          WhenChangedUTC: RECENT,
        }),
        inbound({ Name: 'Known', SenderIPAddresses: ['198.51.100.0/25'] }),
      ],
      undefined,
      { knownIps: ['198.51.100.0/24'] },
    )
    expect(only(f, 'I3').map((x) => [x.object, x.severity, x.value])).toEqual([
      ['New', 'high', '45.137.21.5'],
      ['Mixed', 'medium', '45.137.20.0/24'],
    ])
  })
  test('I3 without an admin list speaks only for new or changed connectors', () => {
    const f = audit([
      inbound({ Name: 'Quiet', SenderIPAddresses: ['203.0.113.7'] }),
      inbound({
        Name: 'Fresh',
        ConnectorType: 'OnPremises',
        SenderIPAddresses: ['203.0.113.8'],
        WhenCreatedUTC: RECENT,
        WhenChangedUTC: RECENT,
      }),
    ])
    expect(only(f, 'I3').map((x) => [x.object, x.messageKey])).toEqual([
      ['Fresh', 'audit:rules.I3.unverified'],
    ])
  })
  test('I4 flags broad ranges; admin-confirmed vendor ranges are exempt and Partner+EF is lowered', () => {
    const wide = ['45.137.20.0/24', '45.137.21.0/24', '185.220.101.7']
    const f = audit(
      [
        inbound({ Name: 'Wide', SenderIPAddresses: wide }),
        inbound({
          Name: 'Vendor',
          SenderIPAddresses: ['205.220.160.0/24', '205.220.161.0/24', '205.220.162.0/24'],
        }),
        inbound({
          Name: 'GatewayEF',
          SenderIPAddresses: ['148.163.128.0/24', '67.231.144.0/24'],
          EFSkipLastIP: true,
        }),
        inbound({ Name: 'Narrow', SenderIPAddresses: ['203.0.113.7'] }),
      ],
      undefined,
      { knownIps: ['205.220.160.0/22'] },
    )
    expect(only(f, 'I4').map((x) => [x.object, x.severity])).toEqual([
      ['Wide', 'medium'],
      ['GatewayEF', 'low'],
    ])
    expect(only(f, 'I4')[0]!.params).toMatchObject({ addresses: 513, networks: 2 })
  })
  test('I5 fires on an OnPremises connector identified by IP only', () => {
    const f = audit([
      inbound({ Name: 'IpOnly', ConnectorType: 'OnPremises', SenderIPAddresses: ['203.0.113.7'] }),
      inbound({
        Name: 'Cert',
        ConnectorType: 'OnPremises',
        SenderIPAddresses: ['203.0.113.8'],
        TlsSenderCertificateName: 'mail.contoso.com',
      }),
      domain('contoso.com'),
    ])
    expect(only(f, 'I5').map((x) => x.object)).toEqual(['IpOnly'])
  })
  test('I6 fires when the certificate domain is not an accepted domain', () => {
    const f = audit([
      inbound({
        Name: 'Foreign',
        ConnectorType: 'OnPremises',
        TlsSenderCertificateName: '*.evil.example',
      }),
      inbound({
        Name: 'Own',
        ConnectorType: 'OnPremises',
        TlsSenderCertificateName: '*.contoso.com',
      }),
      inbound({
        Name: 'OwnSub',
        ConnectorType: 'OnPremises',
        TlsSenderCertificateName: 'smtp.eu.contoso.com',
      }),
      domain('contoso.com'),
    ])
    expect(only(f, 'I6').map((x) => [x.object, x.value])).toEqual([['Foreign', '*.evil.example']])
  })
  test('I6 finds accepted domains by suffix exactly as scanning every accepted domain did', () => {
    // The lookup hashes the suffixes of the certificate name instead of scanning the accepted
    // domains for every connector; the scan (the former code) is the oracle.
    const scan = (cert: string, accepted: readonly string[]): boolean => {
      const d = cleanDomain(cert).replace(/^\*\./, '')
      return accepted.some((a) => {
        const base = cleanDomain(a).replace(/^\*\./, '')
        return d === base || (d.length > base.length && d.endsWith('.' + base))
      })
    }
    const label = fc.constantFrom('a', 'b', 'ab', 'contoso', 'evilcontoso')
    const name = fc
      .tuple(fc.boolean(), fc.array(label, { minLength: 1, maxLength: 4 }))
      .map(([wild, labels]) => (wild ? '*.' : '') + labels.join('.'))
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 4 }), name, (accepted, cert) => {
        const f = audit([
          inbound({ Name: 'Conn', ConnectorType: 'OnPremises', TlsSenderCertificateName: cert }),
          ...accepted.map((a) => domain(a)),
        ])
        expect(rules(f).includes('I6')).toBe(!scan(cert, accepted))
      }),
      { numRuns: 300 },
    )
  })
  test('I6 without accepted domains asks for the export (X2) instead of guessing', () => {
    const f = audit([
      inbound({ ConnectorType: 'OnPremises', TlsSenderCertificateName: '*.evil.example' }),
    ])
    expect(rules(f)).not.toContain('I6')
    expect(only(f, 'X2')[0]).toMatchObject({
      object: 'Get-AcceptedDomain',
      params: { rules: 'I6' },
    })
  })
  test('I7 fires on a Partner connector for * without restrictions; smtp:*;1 on OnPremises is normal', () => {
    const f = audit([
      inbound({ Name: 'Open', RestrictDomainsToIPAddresses: false }),
      inbound({ Name: 'Hybrid', ConnectorType: 'OnPremises', RestrictDomainsToIPAddresses: false }),
      inbound({ Name: 'Locked', RestrictDomainsToIPAddresses: true }),
      inbound({
        Name: 'Scoped',
        RestrictDomainsToIPAddresses: false,
        SenderDomains: ['smtp:fabrikam.com;1'],
      }),
    ])
    expect(only(f, 'I7').map((x) => [x.object, x.value])).toEqual([['Open', 'smtp:*;1']])
  })
  test('I7 keeps absent Restrict* flags as "cannot tell", not false', () => {
    const rec = inbound({ Name: 'Sparse' })
    delete rec.RestrictDomainsToIPAddresses
    delete rec.RestrictDomainsToCertificate
    expect(rules(audit([rec]))).not.toContain('I7')
  })
  test('I8 fires on a Partner connector without TLS only', () => {
    const f = audit([
      inbound({ Name: 'NoTls', RequireTls: false }),
      inbound({ Name: 'OnPrem', ConnectorType: 'OnPremises', RequireTls: false }),
    ])
    expect(only(f, 'I8').map((x) => x.object)).toEqual(['NoTls'])
  })
  test('I9 fires on TreatMessagesAsInternal and marks the impossible combination', () => {
    const f = audit([
      inbound({ Name: 'Internal', ConnectorType: 'OnPremises', TreatMessagesAsInternal: true }),
      inbound({
        Name: 'Impossible',
        ConnectorType: 'OnPremises',
        TreatMessagesAsInternal: true,
        CloudServicesMailEnabled: true,
        ConnectorSource: 'HybridWizard',
      }),
      inbound({ Name: 'Normal', ConnectorType: 'OnPremises' }),
    ])
    expect(only(f, 'I9').map((x) => [x.object, x.severity, x.messageKey])).toEqual([
      ['Impossible', 'high', 'audit:rules.I9.impossible'],
      ['Internal', 'high', 'audit:rules.I9.message'],
    ])
  })
  test('I10 fires when CloudServicesMailEnabled is set outside the HCW, lowered when old', () => {
    const f = audit([
      inbound({
        Name: 'Recent',
        CloudServicesMailEnabled: true,
        WhenCreatedUTC: '2026-01-01T00:00:00Z',
        WhenChangedUTC: '2026-01-01T00:00:00Z',
      }),
      inbound({
        Name: 'Ancient',
        CloudServicesMailEnabled: true,
        WhenCreatedUTC: '2019-01-01T00:00:00Z',
      }),
      inbound({ Name: 'Hcw', CloudServicesMailEnabled: true, ConnectorSource: 'HybridWizard' }),
    ])
    expect(only(f, 'I10').map((x) => [x.object, x.severity])).toEqual([
      ['Recent', 'medium'],
      ['Ancient', 'low'],
    ])
  })
  test('I11 fires on Microsoft 365, private or wide skip ranges', () => {
    const f = audit([
      inbound({ Name: 'Bad', EFSkipIPs: ['40.107.0.0/16', '192.168.10.0/24', '203.0.113.9'] }),
      inbound({ Name: 'Wide', DetectSenderIPBySkippingTheseIPs: ['198.51.0.0/16'] }),
      inbound({ Name: 'Good', EFSkipIPs: ['203.0.113.5', '203.0.113.0/28'] }),
    ])
    expect(only(f, 'I11').map((x) => [x.object, x.property, x.value])).toEqual([
      ['Bad', 'EFSkipIPs', '40.107.0.0/16, 192.168.10.0/24'],
      ['Wide', 'DetectSenderIPBySkippingTheseIPs', '198.51.0.0/16'],
    ])
  })
  test('I11 flags EFSkipLastIP on a connector whose IPs are not a known gateway', () => {
    const opts = { knownIps: ['148.163.128.0/19'] }
    const fires = audit(
      [inbound({ EFSkipLastIP: true, SenderIPAddresses: ['45.137.20.0/24'] })],
      undefined,
      opts,
    )
    const silent = audit(
      [inbound({ EFSkipLastIP: true, SenderIPAddresses: ['148.163.130.0/24'] })],
      undefined,
      opts,
    )
    expect(only(fires, 'I11')[0]?.messageKey).toBe('audit:rules.I11.skipLastIp')
    expect(rules(silent)).not.toContain('I11')
  })
  test('I12 flags a random-looking name with no real comment, never HCW or vendor names', () => {
    expect(looksRandom('xK9qLm2Tz')).toBe(true)
    expect(looksRandom('Qz7Rp2Lk')).toBe(true)
    for (const name of [
      'Mimecast',
      'Office365',
      'Proofpoint',
      'Inbound from 2c7e9f40-51d3-4b8a-a6f2-93d0c1e4b7a5',
      'To Proofpoint',
    ]) {
      expect(looksRandom(name), name).toBe(false)
    }
    const f = audit([
      inbound({ Name: 'xK9qLm2Tz', Comment: 'sync' }),
      inbound({ Name: 'aB3dE5fG7h', Comment: 'Relay for the Osaka office scanners' }),
    ])
    expect(only(f, 'I12').map((x) => x.object)).toEqual(['xK9qLm2Tz'])
  })
  test('I13 flags two enabled connectors matching the same IPs or certificate', () => {
    const f = audit([
      inbound({ Name: 'A', SenderIPAddresses: ['203.0.113.0/24'] }),
      inbound({ Name: 'B', SenderIPAddresses: ['203.0.113.7'] }),
      inbound({
        Name: 'C',
        SenderIPAddresses: ['198.51.100.1'],
        TlsSenderCertificateName: 'mail.contoso.com',
      }),
      inbound({
        Name: 'D',
        SenderIPAddresses: ['198.51.100.2'],
        TlsSenderCertificateName: 'mail.contoso.com',
      }),
      inbound({ Name: 'E', Enabled: false, SenderIPAddresses: ['203.0.113.8'] }),
    ])
    // One finding per group of connectors sharing a source, on the group's first connector: the
    // others are named in `params.others` (a few) and `related` (all), with the group's size in
    // `params.count` (it was `params.other`, one finding per pair, which grew as n²/2).
    expect(
      only(f, 'I13').map((x) => [x.object, x.params.others, x.params.count, x.related, x.property]),
    ).toEqual([
      ['A', 'B', 2, ['B'], 'SenderIPAddresses'],
      ['C', 'D', 2, ['D'], 'TlsSenderCertificateName'],
    ])
    // The evidence is every entry that meets another connector's, from any member.
    expect(only(f, 'I13')[0]?.value).toBe('203.0.113.0/24, 203.0.113.7')
    expect(only(f, 'I13')[1]?.value).toBe('mail.contoso.com')
  })
  test('I13 makes one finding per group, naming five others and counting all', () => {
    const names = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7']
    const f = audit([
      ...names.map((Name, i) =>
        inbound({ Name, SenderIPAddresses: [i % 2 === 0 ? '192.0.2.10' : '192.0.2.0/28'] }),
      ),
      inbound({ Name: 'Alone', SenderIPAddresses: ['192.0.2.200'] }),
    ])
    const [g, ...rest] = only(f, 'I13')
    expect(rest).toEqual([])
    expect(g).toMatchObject({
      object: 'G1',
      value: '192.0.2.0/28, 192.0.2.10',
      params: { others: 'G2, G3, G4, G5, G6, …', count: 7 },
      related: ['G2', 'G3', 'G4', 'G5', 'G6', 'G7'],
    })
  })
  test('I13 groups by the connectors that actually meet, not by connector pairs', () => {
    const f = audit([
      // A shares one address with B and another with C: two groups, B and C share nothing.
      inbound({ Name: 'A', SenderIPAddresses: ['198.51.100.1', '198.51.100.9', '198.51.100.20'] }),
      inbound({ Name: 'B', SenderIPAddresses: ['198.51.100.1'] }),
      inbound({ Name: 'C', SenderIPAddresses: ['198.51.100.9'] }),
      // D and E list the same three addresses: one group with three entries, not three findings.
      inbound({ Name: 'D', SenderIPAddresses: ['203.0.113.1', '203.0.113.2', '203.0.113.3'] }),
      inbound({ Name: 'E', SenderIPAddresses: ['203.0.113.3', '203.0.113.2', '203.0.113.1'] }),
      // F's own entries overlap each other; only the one that meets G's is evidence.
      inbound({ Name: 'F', SenderIPAddresses: ['192.0.2.0-192.0.2.10', '192.0.2.5-192.0.2.20'] }),
      inbound({ Name: 'G', SenderIPAddresses: ['192.0.2.15'] }),
    ])
    expect(only(f, 'I13').map((x) => [x.object, x.related, x.value])).toEqual([
      ['A', ['B'], '198.51.100.1'],
      ['A', ['C'], '198.51.100.9'],
      ['D', ['E'], '203.0.113.1, 203.0.113.2, 203.0.113.3'],
      ['F', ['G'], '192.0.2.5-192.0.2.20, 192.0.2.15'],
    ])
  })
  test('I13 groups cover every overlapping pair, with evidence that really is shared', () => {
    // Oracle: the former pairwise comparison, on small random tenants in one /26.
    const entry = fc.oneof(
      fc.nat(63).map((a) => `192.0.2.${a}`),
      fc.nat(15).map((a) => `192.0.2.${a * 4}/30`),
      fc.tuple(fc.nat(63), fc.nat(63)).map(([a, b]) => `192.0.2.${a}-192.0.2.${b}`),
    )
    const tenant = fc.array(fc.array(entry, { minLength: 1, maxLength: 3 }), {
      minLength: 2,
      maxLength: 8,
    })
    fc.assert(
      fc.property(tenant, (lists) => {
        const names = lists.map((_, i) => `N${i}`)
        const ranges = lists.map((l) => l.map((e) => parseRange(e)!))
        const meets = (i: number, j: number): boolean =>
          ranges[i]!.some((x) => ranges[j]!.some((y) => overlaps(x, y)))
        const groups = only(
          audit(
            lists.map((SenderIPAddresses, i) => inbound({ Name: names[i], SenderIPAddresses })),
          ),
          'I13',
        ).map((f) => ({
          f,
          members: [f.object, ...(f.related ?? [])].map((n) => names.indexOf(n)),
        }))
        const entries = lists.reduce((n, l) => n + l.length, 0)
        expect(groups.length).toBeLessThanOrEqual(entries / 2)
        for (let i = 0; i < lists.length; i++) {
          for (let j = i + 1; j < lists.length; j++) {
            if (meets(i, j))
              expect(groups.some((g) => g.members.includes(i) && g.members.includes(j))).toBe(true)
          }
        }
        for (const { f, members } of groups) {
          expect(f.params.count).toBe(members.length)
          expect(members.every((i) => members.some((j) => j !== i && meets(i, j)))).toBe(true)
          // At most ten entries are quoted, then `…`.
          const quoted = f.value.split(', ')
          expect(quoted.filter((x) => x !== '…').length).toBeLessThanOrEqual(10)
          for (const text of quoted.filter((x) => x !== '…')) {
            const r = parseRange(text)!
            const owners = members.filter((i) => lists[i]!.includes(text))
            expect(
              owners.some((i) =>
                members.some((j) => j !== i && ranges[j]!.some((y) => overlaps(r, y))),
              ),
            ).toBe(true)
          }
        }
      }),
      { numRuns: 300 },
    )
  })
  test('I14 flags a disabled connector changed recently', () => {
    const f = audit([
      inbound({ Name: 'Off', Enabled: false, WhenChangedUTC: '2026-05-18T00:00:00Z' }),
      inbound({ Name: 'On', WhenChangedUTC: '2026-05-18T00:00:00Z' }),
    ])
    expect(only(f, 'I14').map((x) => x.object)).toEqual(['Off'])
  })
  test('I15 hints at AssociatedAcceptedDomains only in a tenant with several domains', () => {
    const conn = inbound({
      ConnectorType: 'OnPremises',
      TlsSenderCertificateName: 'mail.contoso.com',
    })
    const many = audit([
      conn,
      domain('contoso.com'),
      domain('fabrikam.com'),
      domain('tailspin.com'),
      domain('contoso.onmicrosoft.com'),
    ])
    const few = audit([conn, domain('contoso.com'), domain('contoso.onmicrosoft.com')])
    expect(only(many, 'I15')[0]?.params.domains).toBe(3)
    expect(rules(few)).not.toContain('I15')
  })
})

describe('outbound checks (brief §4.2)', () => {
  test('O1 fires on a new outbound connector only', () => {
    const f = audit([
      outbound({ Name: 'New', WhenCreatedUTC: RECENT, WhenChangedUTC: RECENT }),
      outbound({ Name: 'Old' }),
    ])
    expect(only(f, 'O1').map((x) => [x.object, x.severity])).toEqual([['New', 'high']])
  })
  test('O2 fires on an unknown smart host; own, confirmed and vendor hosts are guarded', () => {
    const f = audit(
      [
        outbound({ Name: 'Unknown', UseMXRecord: false, SmartHosts: ['relay.mailer-cdn.net'] }),
        outbound({ Name: 'Own', UseMXRecord: false, SmartHosts: ['mail.contoso.com'] }),
        outbound({ Name: 'Confirmed', UseMXRecord: false, SmartHosts: ['smtp.partner.example'] }),
        outbound({
          Name: 'Vendor',
          UseMXRecord: false,
          SmartHosts: ['outbound-us1.ppe-hosted.com'],
        }),
        outbound({ Name: 'Mx', UseMXRecord: true, SmartHosts: ['relay.mailer-cdn.net'] }),
        domain('contoso.com'),
      ],
      undefined,
      { knownSmartHosts: ['partner.example'] },
    )
    expect(only(f, 'O2').map((x) => [x.object, x.severity, x.messageKey])).toEqual([
      ['Unknown', 'high', 'audit:rules.O2.message'],
      ['Vendor', 'low', 'audit:rules.O2.vendor'],
    ])
  })
  test('O3 fires when a catch-all scope meets an unknown smart host', () => {
    const f = audit([
      outbound({
        Name: 'All',
        UseMXRecord: false,
        SmartHosts: ['203.0.113.50'],
        RecipientDomains: ['*'],
      }),
      outbound({
        Name: 'AllDomains',
        UseMXRecord: false,
        SmartHosts: ['relay.example.net'],
        RecipientDomains: [],
        AllAcceptedDomains: true,
      }),
      outbound({
        Name: 'VendorAll',
        UseMXRecord: false,
        SmartHosts: ['eu.mimecast.com'],
        RecipientDomains: ['*'],
      }),
    ])
    expect(only(f, 'O3').map((x) => [x.object, x.property])).toEqual([
      ['All', 'RecipientDomains'],
      ['AllDomains', 'AllAcceptedDomains'],
    ])
  })
  test('O4 fires on a rule-scoped connector', () => {
    const f = audit([
      outbound({ Name: 'Rule', IsTransportRuleScoped: true }),
      outbound({ Name: 'Plain' }),
    ])
    expect(only(f, 'O4').map((x) => x.object)).toEqual(['Rule'])
  })
  test('O5 fires on weak TLS to a smart host', () => {
    const f = audit([
      outbound({
        Name: 'Null',
        UseMXRecord: false,
        SmartHosts: ['eu.mimecast.com'],
        TlsSettings: null,
      }),
      outbound({
        Name: 'Enc',
        UseMXRecord: false,
        SmartHosts: ['eu.mimecast.com'],
        TlsSettings: 'EncryptionOnly',
      }),
      outbound({
        Name: 'Strong',
        UseMXRecord: false,
        SmartHosts: ['eu.mimecast.com'],
        TlsSettings: 'DomainValidation',
      }),
      outbound({ Name: 'MxNull', TlsSettings: null }),
    ])
    expect(only(f, 'O5').map((x) => x.object)).toEqual(['Enc', 'Null'])
  })
  test('O6 fires per disabled downgrade protection', () => {
    const f = audit([
      outbound({ Name: 'Down', MtaStsMode: 'None', SmtpDaneMode: 'None' }),
      outbound({ Name: 'Fine' }),
    ])
    expect(only(f, 'O6').map((x) => [x.object, x.property])).toEqual([
      ['Down', 'MtaStsMode'],
      ['Down', 'SmtpDaneMode'],
    ])
  })
  test('O7 fires when centralized transport has no way back in', () => {
    const central = outbound({
      Name: 'Central',
      ConnectorType: 'OnPremises',
      RouteAllMessagesViaOnPremises: true,
    })
    const none = audit([central, inbound({ Name: 'Partner only' })])
    const ok = audit([
      central,
      inbound({
        Name: 'Hybrid',
        ConnectorType: 'OnPremises',
        TlsSenderCertificateName: 'mail.contoso.com',
      }),
    ])
    const scoped = audit([
      central,
      inbound({
        Name: 'Scoped',
        ConnectorType: 'OnPremises',
        AssociatedAcceptedDomains: ['contoso.com'],
      }),
    ])
    const noExport = audit([central])
    expect(only(none, 'O7')[0]?.messageKey).toBe('audit:rules.O7.message')
    expect(rules(ok)).not.toContain('O7')
    expect(only(scoped, 'O7')[0]?.messageKey).toBe('audit:rules.O7.scoped')
    expect(only(scoped, 'O7')[0]?.params.other).toBe('Scoped')
    const manyScoped = audit([
      central,
      ...[1, 2, 3, 4, 5, 6, 7].map((i) =>
        inbound({
          Name: `Scoped ${i}`,
          ConnectorType: 'OnPremises',
          AssociatedAcceptedDomains: ['contoso.com'],
        }),
      ),
    ])
    expect(only(manyScoped, 'O7')[0]?.params.other).toBe(
      'Scoped 1, Scoped 2, Scoped 3, Scoped 4, Scoped 5, …',
    )
    expect(only(noExport, 'X2')[0]?.params.cmdlet).toBe('Get-InboundConnector')
  })
  test('O8 fires on an enabled, unvalidated connector', () => {
    const f = audit([
      outbound({ Name: 'Unvalidated', IsValidated: false }),
      outbound({ Name: 'Off', IsValidated: false, Enabled: false }),
    ])
    expect(only(f, 'O8').map((x) => x.object)).toEqual(['Unvalidated'])
  })
  test('O9 fires on a test-mode connector', () => {
    const f = audit([outbound({ Name: 'Testing', TestMode: true }), outbound({ Name: 'Live' })])
    expect(only(f, 'O9').map((x) => x.object)).toEqual(['Testing'])
  })
})

describe('NDR and domain joins (brief §4.3)', () => {
  const tenant = [
    domain('contoso.com', { Default: true }),
    domain('contoso.onmicrosoft.com', { InitialDomain: true }),
    domain('fabrikam.com', { MatchSubDomains: true }),
    domain('*.tailspin.com'),
  ]
  test('N1 fires on the 5.7.750 story: sender domain not accepted', () => {
    const f = audit(tenant, { senderDomain: 'northwind.example', status: '5.7.750' })
    expect(only(f, 'N1')[0]).toMatchObject({
      severity: 'high',
      objectType: 'Ndr',
      value: 'northwind.example',
      explainsNdr: true,
    })
    const weak = audit(tenant, { senderDomain: 'northwind.example', status: '5.1.1' })
    expect(only(weak, 'N1')[0]?.severity).toBe('medium')
  })
  test('N1 stays silent for accepted, MatchSubDomains and wildcard domains', () => {
    for (const d of ['contoso.com', 'sales.fabrikam.com', 'eu.tailspin.com', 'CONTOSO.COM']) {
      expect(rules(audit(tenant, { senderDomain: d, status: '5.7.750' })), d).not.toContain('N1')
    }
    expect(
      rules(audit(tenant, { senderDomain: 'sales.contoso.com', status: '5.7.750' })),
    ).toContain('N1')
  })
  test('N1 checks P1 and P2: one accepted domain is enough', () => {
    expect(
      rules(
        audit(tenant, {
          fromDomain: 'contoso.com',
          mailFromDomain: 'bounce.mailer.example',
          status: '5.7.750',
        }),
      ),
    ).not.toContain('N1')
  })
  test('N1 without accepted domains reports the missing export', () => {
    const f = audit([inbound()], { senderDomain: 'northwind.example', status: '5.7.750' })
    expect(rules(f)).not.toContain('N1')
    expect(only(f, 'X2')[0]).toMatchObject({
      explainsNdr: true,
      params: { cmdlet: 'Get-AcceptedDomain', rules: 'N1' },
    })
  })
  test('N2 fires on a P1/P2 mismatch through an OnPremises connector', () => {
    const conn = inbound({
      Name: 'OnPrem relay',
      ConnectorType: 'OnPremises',
      TlsSenderCertificateName: 'mail.contoso.com',
    })
    const fires = audit([...tenant, conn], {
      fromDomain: 'contoso.com',
      mailFromDomain: 'spam.example',
      connectorName: 'OnPrem relay',
    })
    expect(only(fires, 'N2')[0]?.value).toBe('contoso.com / spam.example')
    expect(
      rules(
        audit([...tenant, conn], {
          fromDomain: 'contoso.com',
          mailFromDomain: 'bounce.contoso.com',
          viaOnPremisesConnector: true,
        }),
      ),
    ).not.toContain('N2')
    expect(
      rules(
        audit([...tenant, conn], { fromDomain: 'contoso.com', mailFromDomain: 'spam.example' }),
      ),
    ).not.toContain('N2')
  })
  test('N3 fires when the relaying IP is in no connector and no certificate connector exists', () => {
    const conn = inbound({
      Name: 'OnPrem',
      ConnectorType: 'OnPremises',
      SenderIPAddresses: ['198.51.100.0/24'],
    })
    expect(only(audit([conn], { relayIp: '203.0.113.9' }), 'N3')[0]?.value).toBe('203.0.113.9')
    expect(rules(audit([conn], { relayIp: '198.51.100.77' }))).not.toContain('N3')
    const cert = inbound({
      Name: 'Cert',
      ConnectorType: 'OnPremises',
      TlsSenderCertificateName: 'mail.contoso.com',
    })
    expect(rules(audit([conn, cert], { relayIp: '203.0.113.9' }))).not.toContain('N3')
  })
  test('N4 fires on compromise-class codes; 5.7.708 on a trial tenant is guarded', () => {
    expect(only(audit(tenant, { status: '5.7.705' }), 'N4')[0]).toMatchObject({
      severity: 'high',
      object: '5.7.705',
    })
    expect(only(audit(tenant, { recipients: [{ status: '5.1.8' }] }), 'N4')).toHaveLength(1)
    expect(
      only(
        audit(tenant, {
          diagnostic:
            "The message can't be submitted because the sender's submission quota was exceeded",
        }),
        'N4',
      ),
    ).toHaveLength(1)
    expect(rules(audit(tenant, { status: '5.7.708', trialTenant: true }))).not.toContain('N4')
    expect(rules(audit(tenant, { status: '5.7.708' }))).toContain('N4')
    expect(rules(audit(tenant, { status: '5.1.1' }))).not.toContain('N4')
  })
  test('N5 fires when the sender tenant generated a 5.7.7xx block', () => {
    const f = audit(tenant, {
      status: '5.7.750',
      generatingServer: 'DM6PR01MB1234.namprd01.prod.outlook.com',
    })
    expect(only(f, 'N5')[0]).toMatchObject({ severity: 'info', params: { code: '5.7.750' } })
    expect(
      rules(
        audit(tenant, {
          status: '5.1.1',
          generatingServer: 'DM6PR01MB1234.namprd01.prod.outlook.com',
        }),
      ),
    ).not.toContain('N5')
    expect(
      rules(audit(tenant, { status: '5.7.750', generatingServer: 'mx.example.net' })),
    ).not.toContain('N5')
  })
  test('N6 fires when the connector the NDR names is not in the export', () => {
    const conns = [inbound({ Name: 'xK9qLm2Tz' })]
    expect(only(audit(conns, { status: '5.7.711', connectorName: 'Ghost' }), 'N6')[0]?.value).toBe(
      'Ghost',
    )
    expect(rules(audit(conns, { status: '5.7.711', connectorName: 'xk9qlm2tz' }))).not.toContain(
      'N6',
    )
  })
  test('D1 fires on Internal Relay without an outbound OnPremises connector', () => {
    const relay = domain('legacy.contoso.net', { DomainType: 'InternalRelay' })
    expect(only(audit([relay, outbound()]), 'D1')[0]?.object).toBe('legacy.contoso.net')
    expect(rules(audit([relay, outbound({ ConnectorType: 'OnPremises' })]))).not.toContain('D1')
    expect(only(audit([relay]), 'X2')[0]?.params.cmdlet).toBe('Get-OutboundConnector')
  })
  test('D2 fires when the NDR sender used the initial onmicrosoft.com domain', () => {
    expect(
      only(audit(tenant, { senderDomain: 'contoso.onmicrosoft.com' }), 'D2')[0]?.severity,
    ).toBe('low')
    expect(rules(audit(tenant, { senderDomain: 'contoso.com' }))).not.toContain('D2')
  })
  test('D3 fires when a domain and a connector appear in the same window', () => {
    const fresh = domain('northwind.example', { WhenCreatedUTC: '2026-05-10T12:00:00Z' })
    const f = audit([
      fresh,
      inbound({ Name: 'New one', WhenCreatedUTC: RECENT, WhenChangedUTC: RECENT }),
    ])
    expect(only(f, 'D3')[0]).toMatchObject({
      object: 'northwind.example',
      params: { other: 'New one' },
    })
    // Seven connectors in the 30-day window (C-40 is outside): the five created closest to the
    // domain, in time order, and an ellipsis for the rest.
    const days = [-40, -20, -9, -3, 1, 2, 5, 8]
    const many = audit([
      fresh,
      ...days.map((d) => {
        const at = new Date(Date.parse('2026-05-10T12:00:00Z') + d * 86_400_000).toISOString()
        return inbound({ Name: `C${d}`, WhenCreatedUTC: at, WhenChangedUTC: at })
      }),
    ])
    expect(only(many, 'D3')[0]?.params.other).toBe('C-3, C1, C2, C5, C8, …')
    expect(
      rules(
        audit([
          domain('contoso.com'),
          inbound({ Name: 'New one', WhenCreatedUTC: RECENT, WhenChangedUTC: RECENT }),
        ]),
      ),
    ).not.toContain('D3')
  })
})

describe('cannot tell, ranking and the brief fixtures', () => {
  test('X1: a flattened CSV list is reported as "cannot tell", never as empty', () => {
    const r = importFixtures('inbound.ps51.csv', 'accepted.ps51.csv')
    const f = auditTenant(r.objects, undefined, { now: NOW })
    const x1 = only(f, 'X1').filter((x) => x.object === 'xK9qLm2Tz')
    expect(x1.map((x) => x.property).sort()).toEqual(['SenderDomains', 'SenderIPAddresses'])
    expect(x1[0]!.value).toBe('System.Collections.ArrayList')
    // I5 needs SenderIPAddresses non-empty; a flattened list must not be read as empty nor as set.
    expect(f.some((x) => x.rule === 'I5' && x.object === 'xK9qLm2Tz')).toBe(false)
  })
  test('the attacker connector of brief §3.7 is flagged the same way from every format', () => {
    for (const file of [
      'inbound.fl.txt',
      'inbound.ps7.csv',
      'inbound.ps51.json.txt',
      'inbound.clixml',
    ]) {
      const r = importFixtures(file, 'accepted.fl.txt')
      const f = auditTenant(r.objects, undefined, { now: NOW }).filter(
        (x) => x.object === 'xK9qLm2Tz',
      )
      expect(rules(f), file).toEqual(expect.arrayContaining(['I1', 'I3', 'I4', 'I9', 'I12']))
      expect(f[0]?.severity, file).toBe('high')
    }
  })
  test('the HCW connector of brief §3.6 raises no high or medium finding', () => {
    for (const file of ['inbound.fl.txt', 'inbound.ps51.json.txt', 'inbound.clixml']) {
      const r = importFixtures(file, 'accepted.fl.txt')
      const f = auditTenant(r.objects, undefined, { now: NOW }).filter((x) =>
        x.object.startsWith('Inbound from'),
      )
      expect(
        f.filter((x) => x.severity === 'high' || x.severity === 'medium'),
        file,
      ).toEqual([])
    }
  })
  test('findings that explain the NDR come first, including those on the connector it names', () => {
    const r = importFixtures('inbound.fl.txt', 'outbound.ps51.json.txt', 'accepted.fl.txt')
    const ndr: NdrCrossCheck = {
      senderDomain: 'northwind.example',
      status: '5.7.750',
      connectorName: 'Inbound from 2c7e9f40-51d3-4b8a-a6f2-93d0c1e4b7a5',
    }
    const f = auditTenant(r.objects, ndr, { now: NOW })
    const firstOther = f.findIndex((x) => !x.explainsNdr)
    expect(firstOther).toBeGreaterThan(0)
    expect(f.slice(firstOther).every((x) => !x.explainsNdr)).toBe(true)
    expect(f.slice(0, firstOther).map((x) => x.rule)).toEqual(
      expect.arrayContaining(['N1', 'N4', 'I1', 'O1', 'O2', 'O3']),
    )
    expect(f[0]!.severity).toBe('high')
    // Without an NDR nothing claims to explain a bounce.
    expect(auditTenant(r.objects, undefined, { now: NOW }).some((x) => x.explainsNdr)).toBe(false)
  })
  test('without a given "now", the newest timestamp in the exports is the floor', () => {
    const r = importFixtures('inbound.clixml')
    const f = auditTenant(r.objects)
    expect(only(f, 'I1')[0]?.params.days).toBe(0)
  })
  test('auditTenant tolerates malformed object bags', () => {
    expect(auditTenant({} as never)).toEqual([])
    expect(
      auditTenant(
        { InboundConnector: null, OutboundConnector: 3, AcceptedDomain: 'x' } as never,
        {},
      ),
    ).toEqual([])
  })
})
