import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import {
  decodeExportBytes,
  extendImport,
  getProp,
  importExports,
  LIMITS,
  parseDateText,
  type ObjectType,
  type PropValue,
} from '../../../main/core/connectors'
import { byName, fixture, importFixtures } from './helpers'

const MATRIX: readonly (readonly [string, string, ObjectType, number])[] = [
  ['inbound.fl.txt', 'formatList', 'InboundConnector', 2],
  ['inbound.ps51.csv', 'csv', 'InboundConnector', 2],
  ['inbound.ps7.csv', 'csv', 'InboundConnector', 2],
  ['inbound.ps51.json.txt', 'json', 'InboundConnector', 2],
  ['inbound.ps7.json.txt', 'json', 'InboundConnector', 1],
  ['inbound.clixml', 'clixml', 'InboundConnector', 2],
  ['outbound.fl.txt', 'formatList', 'OutboundConnector', 2],
  ['outbound.ps51.csv', 'csv', 'OutboundConnector', 1],
  ['outbound.ps7-culture.csv', 'csv', 'OutboundConnector', 2],
  ['outbound.ps51.json.txt', 'json', 'OutboundConnector', 1],
  ['outbound.ps7.json.txt', 'json', 'OutboundConnector', 1],
  ['outbound.utf16.clixml', 'clixml', 'OutboundConnector', 1],
  ['accepted.fl.txt', 'formatList', 'AcceptedDomain', 3],
  ['accepted.ps51.csv', 'csv', 'AcceptedDomain', 3],
  ['accepted.ps7.csv', 'csv', 'AcceptedDomain', 3],
  ['accepted.ps51.json.txt', 'json', 'AcceptedDomain', 2],
  ['accepted.ps7.json.txt', 'json', 'AcceptedDomain', 2],
  ['accepted.clixml', 'clixml', 'AcceptedDomain', 2],
]

const list = (items: string[], truncated = false): PropValue => ({ kind: 'list', items, truncated })
const text = (value: string): PropValue => ({ kind: 'text', value })
const bool = (value: boolean): PropValue => ({ kind: 'bool', value })
const iso = (v: PropValue): string | undefined => (v.kind === 'date' ? v.iso : undefined)

describe('format × object type matrix (brief §3.6–3.10)', () => {
  test.each(MATRIX)('%s is %s with %s objects', (file, format, type, count) => {
    const r = importFixtures(file)
    const input = r.inputs[0]!
    expect(input.errors).toEqual([])
    expect(input.format).toBe(format)
    expect(input.objectTypes).toEqual([type])
    expect(r.objects[type]).toHaveLength(count)
    expect(input.objectCount).toBe(count)
  })

  test('several inputs at once are grouped by type and merged by Guid', () => {
    const r = importFixtures(
      'inbound.fl.txt',
      'inbound.clixml',
      'outbound.fl.txt',
      'accepted.ps7.json.txt',
    )
    expect(r.objects.InboundConnector.map((o) => o.identity)).toEqual([
      'Inbound from 2c7e9f40-51d3-4b8a-a6f2-93d0c1e4b7a5',
      'xK9qLm2Tz',
    ])
    expect(r.objects.OutboundConnector).toHaveLength(2)
    expect(r.objects.AcceptedDomain).toHaveLength(2)
    expect(r.inputs[1]!.warnings.find((w) => w.code === 'duplicates')?.params).toEqual({ count: 2 })
  })
})

describe('adding exports to an import (X2: "import the result together with the others")', () => {
  const input = (name: string) => ({ name, text: fixture(name) })

  test('an export of another kind joins the import; nothing is replaced', () => {
    const r = extendImport([input('inbound.fl.txt')], [input('accepted.ps7.json.txt')])
    expect(r.inputs.map((i) => i.name)).toEqual(['inbound.fl.txt', 'accepted.ps7.json.txt'])
    expect(r.replaced).toEqual([])
    expect(r.addedObjects).toBe(2)
    expect(r.imported.objects.InboundConnector).toHaveLength(2)
    expect(r.imported.objects.AcceptedDomain).toHaveLength(2)
    expect(r.imported).toEqual(importExports(r.inputs))
  })

  test('a newer export of the same kind replaces the earlier one, other kinds stay', () => {
    const r = extendImport(
      [input('inbound.fl.txt'), input('outbound.fl.txt')],
      [input('inbound.ps7.json.txt')],
    )
    expect(r.replaced).toEqual(['inbound.fl.txt'])
    expect(r.inputs.map((i) => i.name)).toEqual(['outbound.fl.txt', 'inbound.ps7.json.txt'])
    // Only the new export's connector: the replaced Format-List pair is gone from the audit.
    expect(r.imported.objects.InboundConnector.map((o) => o.source.input)).toEqual([
      'inbound.ps7.json.txt',
    ])
    expect(r.imported.objects.OutboundConnector).toHaveLength(2)
    expect(r.imported).toEqual(importExports(r.inputs))
  })

  test('an input holding several kinds stays unless all of them come again; the newer object wins', () => {
    const record = (
      name: string,
      guid: string,
      enabled: boolean,
      extra: Record<string, unknown>,
    ) => ({
      Name: name,
      Guid: guid,
      Enabled: enabled,
      WhenCreatedUTC: '2024-03-01T10:00:00Z',
      WhenChangedUTC: '2024-03-01T10:00:00Z',
      ...extra,
    })
    const inbound = (enabled: boolean) =>
      record('Partner in', '0b6b3a4e-1b1f-4c55-9d1e-111111111111', enabled, {
        ConnectorType: 'Partner',
        SenderDomains: ['smtp:partner.example;1'],
        RequireTls: true,
      })
    const outbound = record('Partner out', '0b6b3a4e-1b1f-4c55-9d1e-222222222222', true, {
      ConnectorType: 'Partner',
      SmartHosts: ['mail.partner.example'],
      UseMXRecord: false,
      RecipientDomains: ['partner.example'],
    })
    const both = { name: 'both.json', text: JSON.stringify([inbound(true), outbound]) }
    const newer = { name: 'inbound-now.json', text: JSON.stringify([inbound(false)]) }
    const r = extendImport([both], [newer])
    expect(r.replaced).toEqual([])
    expect(r.inputs.map((i) => i.name)).toEqual(['both.json', 'inbound-now.json'])
    const kept = r.imported.objects.InboundConnector
    expect(kept).toHaveLength(1)
    expect(kept[0]!.source.input).toBe('inbound-now.json')
    expect(getProp(kept[0]!.props, 'Enabled')).toEqual(bool(false))
    expect(r.imported.inputs[1]!.warnings.map((w) => w.code)).toContain('duplicates')
  })

  test('a new input named like a kept one gets a numbered name', () => {
    const paste = (name: string, file: string) => ({ name, text: fixture(file) })
    const r = extendImport(
      [paste('Pasted export', 'inbound.fl.txt'), paste('Pasted export (2)', 'outbound.fl.txt')],
      [paste('Pasted export', 'accepted.fl.txt')],
    )
    expect(r.inputs.map((i) => i.name)).toEqual([
      'Pasted export',
      'Pasted export (2)',
      'Pasted export (3)',
    ])
    expect(r.imported.objects.AcceptedDomain.map((o) => o.source.input)).toEqual([
      'Pasted export (3)',
      'Pasted export (3)',
      'Pasted export (3)',
    ])
  })

  test('nothing readable in the new input: no objects added, the stored ones untouched', () => {
    const base = [input('inbound.fl.txt')]
    const r = extendImport(base, [{ name: 'notes.txt', text: 'not an export at all' }])
    expect(r.addedObjects).toBe(0)
    expect(r.replaced).toEqual([])
    expect(r.imported.inputs[1]!.errors.length).toBeGreaterThan(0)
    expect(r.imported.objects.InboundConnector).toHaveLength(2)
  })
})

describe('normalized model keeps what the export can and cannot say', () => {
  test('Format-List: wrapped lines, truncated lists, empty lists, culture dates, unknown properties', () => {
    const r = importFixtures('inbound.fl.txt')
    const hcw = byName(
      r.objects.InboundConnector,
      'Inbound from 2c7e9f40-51d3-4b8a-a6f2-93d0c1e4b7a5',
    )
    expect(getProp(hcw.props, 'DistinguishedName')).toEqual(
      text(
        'CN=Inbound from 2c7e9f40-51d3-4b8a-a6f2-93d0c1e4b7a5,CN=Transport Settings,CN=Configuration,CN=contoso.onmicrosoft.com,CN=ConfigurationUnits,DC=NAMPR12A003,DC=PROD,DC=OUTLOOK,DC=COM',
      ),
    )
    expect(getProp(hcw.props, 'SenderIPAddresses')).toEqual(list([]))
    expect(getProp(hcw.props, 'SenderDomains')).toEqual(list(['smtp:*;1']))
    expect(getProp(hcw.props, 'ObjectClass')).toEqual(list(['top', 'msExchSMTPInboundConnector']))
    expect(iso(getProp(hcw.props, 'WhenChangedUTC'))).toBe('2026-03-04T18:15:02.000Z')
    expect(iso(getProp(hcw.props, 'WhenCreatedUTC'))).toBe('2023-11-18T22:41:37.000Z')
    const bad = byName(r.objects.InboundConnector, 'xK9qLm2Tz')
    expect(getProp(bad.props, 'SenderIPAddresses')).toEqual(
      list(['45.137.20.0/24', '45.137.21.0/24', '185.220.101.7', '185.220.101.8'], true),
    )
    expect(getProp(bad.props, 'FutureProperty')).toEqual(text('some value'))
    expect(bad.unknownProps).toEqual(['FutureProperty'])
    expect(getProp(bad.props, 'RouteAllMessagesViaOnPremises')).toEqual({ kind: 'absent' })
    expect(r.inputs[0]!.warnings.map((w) => w.code)).toEqual(['truncatedLists'])
  })

  test('Format-List: a European culture date is read day-first (brief §3.6)', () => {
    const r = importFixtures('accepted.fl.txt')
    const d = byName(r.objects.AcceptedDomain, 'contoso.mail.onmicrosoft.com')
    expect(iso(getProp(d.props, 'WhenCreatedUTC'))).toBe('2023-11-18T22:40:01.000Z')
    expect(getProp(d.props, 'IsCoexistenceDomain')).toEqual(bool(true))
  })

  test('CSV 5.1: #TYPE skipped, lists flattened to type names are "cannot tell", booleans typed', () => {
    const r = importFixtures('inbound.ps51.csv')
    const bad = byName(r.objects.InboundConnector, 'xK9qLm2Tz')
    expect(getProp(bad.props, 'SenderIPAddresses')).toEqual({
      kind: 'unknowable',
      reason: 'flattened',
      raw: 'System.Collections.ArrayList',
    })
    expect(getProp(bad.props, 'TreatMessagesAsInternal')).toEqual(bool(true))
    expect(getProp(bad.props, 'TlsSenderCertificateName')).toEqual(text(''))
    expect(iso(getProp(bad.props, 'WhenCreatedUTC'))).toBe('2026-05-12T02:03:55.000Z')
    expect(r.inputs[0]!.warnings[0]).toMatchObject({
      code: 'flattenedLists',
      messageKey: 'audit:import.flattenedLists',
      params: { props: 'SenderDomains, SenderIPAddresses' },
    })
  })

  test('CSV 7: joined lists are split, and `smtp:*;1` keeps its cost', () => {
    const r = importFixtures('inbound.ps7.csv')
    const bad = byName(r.objects.InboundConnector, 'xK9qLm2Tz')
    expect(getProp(bad.props, 'SenderIPAddresses')).toEqual(
      list(['45.137.20.0/24', '45.137.21.0/24', '185.220.101.7']),
    )
    expect(getProp(bad.props, 'SenderDomains')).toEqual(list(['smtp:*;1']))
    const partner = byName(r.objects.InboundConnector, 'Partner Relay')
    expect(getProp(partner.props, 'SenderDomains')).toEqual(
      list(['smtp:*;1', 'smtp:*.fabrikam.com;1']),
    )
    expect(getProp(partner.props, 'SenderIPAddresses')).toEqual(list([]))
  })

  test('CSV with the culture delimiter: ambiguous dates are not guessed', () => {
    const r = importFixtures('outbound.ps7-culture.csv')
    const pp = byName(r.objects.OutboundConnector, 'To Proofpoint')
    expect(getProp(pp.props, 'WhenCreatedUTC')).toMatchObject({
      kind: 'unknowable',
      reason: 'ambiguousDate',
    })
    const relay = byName(r.objects.OutboundConnector, 'Relay7q')
    expect(iso(getProp(relay.props, 'WhenCreatedUTC'))).toBe('2026-05-14T21:10:00.000Z')
    expect(getProp(relay.props, 'TlsSettings')).toEqual({ kind: 'null' })
    expect(getProp(relay.props, 'SmartHosts')).toEqual(list(['203.0.113.50']))
    expect(r.inputs[0]!.warnings.map((w) => w.code)).toContain('ambiguousDates')
  })

  test('JSON 5.1: /Date(ms)/, enum numbers, the {value, Count} wrapper, null vs empty list', () => {
    const r = importFixtures('inbound.ps51.json.txt')
    const bad = byName(r.objects.InboundConnector, 'xK9qLm2Tz')
    expect(getProp(bad.props, 'ConnectorType')).toEqual(text('OnPremises'))
    expect(iso(getProp(bad.props, 'WhenCreatedUTC'))).toBe('2026-05-12T02:03:55.000Z')
    expect(getProp(bad.props, 'SenderDomains')).toEqual(list(['smtp:*;1']))
    expect(getProp(bad.props, 'TlsSenderCertificateName')).toEqual({ kind: 'null' })
    expect(getProp(bad.props, 'RestrictDomainsToCertificate')).toEqual({ kind: 'absent' })
    const hcw = byName(
      r.objects.InboundConnector,
      'Inbound from 2c7e9f40-51d3-4b8a-a6f2-93d0c1e4b7a5',
    )
    expect(getProp(hcw.props, 'ConnectorSource')).toEqual(text('HybridWizard'))
    expect(getProp(hcw.props, 'SenderIPAddresses')).toEqual(list([]))
  })

  test('JSON 5.1 single object and enum numbers for TlsSettings and DomainType', () => {
    const out = importFixtures('outbound.ps51.json.txt').objects.OutboundConnector[0]!
    expect(getProp(out.props, 'TlsSettings')).toEqual(text('EncryptionOnly'))
    expect(getProp(out.props, 'ConnectorType')).toEqual(text('Partner'))
    expect(getProp(out.props, 'ConnectorSource')).toEqual(text('Default'))
    const dom = importFixtures('accepted.ps51.json.txt').objects.AcceptedDomain
    expect(getProp(byName(dom, 'legacy.contoso.net').props, 'DomainType')).toEqual(
      text('InternalRelay'),
    )
  })

  test('JSON 7 / admin API: ISO dates with seven decimals and without zone, nested Identity', () => {
    const out = importFixtures('outbound.ps7.json.txt').objects.OutboundConnector[0]!
    expect(iso(getProp(out.props, 'WhenCreatedUTC'))).toBe('2024-07-23T22:55:04.000Z')
    expect(iso(getProp(out.props, 'LastValidationTimestamp'))).toBe('2024-07-24T18:59:12.000Z')
    expect(getProp(out.props, 'MtaStsMode')).toEqual(text('None'))
    const inb = importFixtures('inbound.ps7.json.txt').objects.InboundConnector[0]!
    expect(getProp(inb.props, 'Identity')).toEqual(text('Fabrikam partner'))
  })

  test('CLIXML: enums from ToString, Ref and TNRef resolved, Nil, empty LST, IE, _xHHHH_', () => {
    const r = importFixtures('inbound.clixml')
    const bad = byName(r.objects.InboundConnector, 'xK9qLm2Tz')
    expect(getProp(bad.props, 'ConnectorType')).toEqual(text('OnPremises'))
    expect(getProp(bad.props, 'TlsSenderCertificateName')).toEqual({ kind: 'null' })
    expect(getProp(bad.props, 'AssociatedAcceptedDomains')).toEqual(list([]))
    expect(getProp(bad.props, 'PSComputerName')).toEqual(text('outlook.office365.com'))
    const hcw = byName(
      r.objects.InboundConnector,
      'Inbound from 2c7e9f40-51d3-4b8a-a6f2-93d0c1e4b7a5',
    )
    expect(getProp(hcw.props, 'ConnectorType')).toEqual(text('OnPremises'))
    expect(getProp(hcw.props, 'Comment')).toEqual(text('Created by the HCW\r\ndo not edit_x'))
    const out = importFixtures('outbound.utf16.clixml').objects.OutboundConnector[0]!
    expect(getProp(out.props, 'SmartHosts')).toEqual(list(['outbound-us1.ppe-hosted.com']))
    expect(getProp(out.props, 'TlsSettings')).toEqual(text('DomainValidation'))
    const dom = importFixtures('accepted.clixml').objects.AcceptedDomain
    expect(getProp(byName(dom, 'legacy.contoso.net').props, 'DomainType')).toEqual(
      text('InternalRelay'),
    )
  })

  test('UTF-16 LE bytes with and without BOM decode the same', () => {
    const bytes = readFileSync(new URL('./fixtures/outbound.utf16.clixml', import.meta.url))
    expect(decodeExportBytes(bytes.subarray(2))).toBe(
      decodeExportBytes(bytes).replace(/^\uFEFF/, ''),
    )
    // The same file read as Latin-1 by a careless caller still imports.
    const r = importExports([{ name: 'latin1', text: bytes.toString('latin1') }])
    expect(r.objects.OutboundConnector).toHaveLength(1)
  })

  test('date encodings of brief §3.5–3.9', () => {
    expect(parseDateText('/Date(1778551435000)/')).toMatchObject({
      iso: '2026-05-12T02:03:55.000Z',
    })
    expect(parseDateText('2/1/2017 7:07:42 PM')).toMatchObject({ iso: '2017-02-01T19:07:42.000Z' })
    expect(parseDateText('01.02.2017 19:07:42')).toMatchObject({ iso: '2017-02-01T19:07:42.000Z' })
    expect(parseDateText('2026/5/12 下午 02:03:55')).toMatchObject({
      iso: '2026-05-12T14:03:55.000Z',
    })
    expect(parseDateText('2023-11-18T14:41:37.0000000-08:00')).toMatchObject({
      iso: '2023-11-18T22:41:37.000Z',
    })
    expect(parseDateText('03/04/2026 18:15:02')).toMatchObject({
      kind: 'unknowable',
      reason: 'ambiguousDate',
    })
    expect(parseDateText('31/02/2026 10:00:00')).toMatchObject({
      kind: 'unknowable',
      reason: 'unparsed',
    })
    expect(parseDateText('')).toEqual({ kind: 'null' })
  })

  test('a __proto__ property is kept as data and pollutes nothing', () => {
    const r = importExports([
      {
        name: 'p.json',
        text: '[{"DomainName":"contoso.com","__proto__":{"polluted":true},"constructor":"x"}]',
      },
    ])
    const d = r.objects.AcceptedDomain[0]!
    expect(Object.hasOwn(d.props, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(getProp(d.props, 'toString')).toEqual({ kind: 'absent' })
  })
})

describe('bad input gets a clear error, never a crash', () => {
  const codeOf = (name: string, text: string): string[] =>
    importExports([{ name, text }]).inputs[0]!.errors.map((e) => e.code)

  test.each([
    ['bad/unknown.txt', 'unknownFormat'],
    ['bad/not-clixml.xml', 'unknownFormat'],
    ['bad/format-table.txt', 'formatTable'],
    ['bad/mailbox.csv', 'wrongObjectType'],
    ['bad/truncated.csv', 'truncatedFile'],
    ['bad/truncated.json.txt', 'truncatedFile'],
    ['bad/truncated.clixml', 'truncatedFile'],
    ['bad/billion-laughs.clixml', 'xmlDoctype'],
    ['bad/xxe.clixml', 'xmlDoctype'],
  ])('%s → %s', (file, code) => {
    const started = performance.now()
    const r = importFixtures(file)
    expect(r.inputs[0]!.errors.map((e) => e.code)).toEqual([code])
    expect(r.inputs[0]!.errors[0]!.messageKey).toBe(`audit:import.${code}`)
    expect(performance.now() - started).toBeLessThan(250)
  })

  test('a DOCTYPE hidden after the root or in lower case is still refused', () => {
    const text = fixture('accepted.clixml').replace(
      '</Objs>',
      '<!doctype x [<!ENTITY a "b">]></Objs>',
    )
    expect(codeOf('x.clixml', text)).toEqual(['xmlDoctype'])
  })

  test('empty input, whitespace and a JSON array of non-objects', () => {
    expect(codeOf('e', '')).toEqual(['empty'])
    expect(codeOf('e', ' \r\n\t ')).toEqual(['empty'])
    expect(codeOf('n', '[1, 2, "x"]')).toEqual(['empty'])
    expect(codeOf('m', '{"Name": "x", "Alias": "y"}')).toEqual(['wrongObjectType'])
    expect(codeOf('j', '{"DomainName": "contoso.com",, }')).toEqual(['malformed'])
  })

  test('deep XML nesting is refused', () => {
    const deep =
      '<Objs Version="1.1.0.1"><Obj RefId="0"><Props>' +
      '<Obj N="x"><LST>'.repeat(200) +
      '</LST></Obj>'.repeat(200) +
      '</Props></Obj></Objs>'
    expect(codeOf('deep.clixml', deep)).toEqual(['tooDeep'])
  })

  test('an XML element flood is refused before parsing, quickly', () => {
    const flood =
      '<Objs Version="1.1.0.1">' + '<a>'.repeat(1_000_000) + '</a>'.repeat(1_000_000) + '</Objs>'
    const started = performance.now()
    expect(codeOf('flood.clixml', flood)).toEqual(['tooManyElements'])
    expect(performance.now() - started).toBeLessThan(250)
  })

  test('50 MB of CSV is refused at once with the limit in the message', () => {
    const row =
      '"True","OnPremises","AdminUI","sync","1.2.3.4","smtp:*;1","False","False","False","False","True","","xK9qLm2Tz","2026-05-12T02:03:55Z"\r\n'
    const header =
      '"Enabled","ConnectorType","ConnectorSource","Comment","SenderIPAddresses","SenderDomains","RequireTls","RestrictDomainsToIPAddresses","RestrictDomainsToCertificate","CloudServicesMailEnabled","TreatMessagesAsInternal","TlsSenderCertificateName","Name","WhenCreatedUTC"\r\n'
    const big = header + row.repeat(Math.ceil(50_000_000 / row.length))
    const started = performance.now()
    const r = importExports([{ name: 'big.csv', text: big }])
    expect(performance.now() - started).toBeLessThan(100)
    expect(r.inputs[0]!.errors[0]).toMatchObject({
      code: 'tooLarge',
      params: { limit: LIMITS.maxCharsLabel },
    })
  })

  test('just under the size cap, a CSV is read but bounded to the object limit, quickly', () => {
    const header = '"Name","SenderIPAddresses","ConnectorType","WhenCreatedUTC"\r\n'
    const row = (i: number): string => `"c${i}","1.2.3.4","Partner","2026-05-12T02:03:55Z"\r\n`
    const rows: string[] = []
    let size = header.length
    for (let i = 0; size + row(i).length <= LIMITS.maxChars; i++) {
      rows.push(row(i))
      size += row(i).length
    }
    const text = header + rows.join('')
    const started = performance.now()
    const r = importExports([{ name: 'many.csv', text }])
    expect(performance.now() - started).toBeLessThan(8_000)
    expect(r.objects.InboundConnector).toHaveLength(LIMITS.maxObjects)
    expect(r.inputs[0]!.errors.map((e) => e.code)).toEqual(['tooManyObjects'])
  })

  test('inputs of the wrong shape do not throw', () => {
    expect(importExports(null as never)).toMatchObject({ inputs: [] })
    const r = importExports([
      null,
      { name: 3, text: 4 },
      { name: 'ok', text: fixture('accepted.fl.txt') },
    ] as never)
    expect(r.inputs.map((i) => i.errors.map((e) => e.code))).toEqual([
      ['unknownFormat'],
      ['unknownFormat'],
      [],
    ])
    expect(r.objects.AcceptedDomain).toHaveLength(3)
  })
})
