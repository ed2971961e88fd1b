import fc from 'fast-check'
import i18next from 'i18next'
import Papa from 'papaparse'
import { describe, expect, test } from 'vitest'
import {
  auditTenant,
  findingsToRows,
  neutralizeCell,
  renderFindingsSummary,
  toCsv,
  type Translate,
} from '../../../main/core/connectors'
import { LANGUAGES, type Language } from '../../../main/core/i18n/languages'
import { NAMESPACES, RESOURCES } from '../../../main/core/i18n/resources'
import { importFixtures, NOW } from './helpers'

function translator(lng: Language): Translate {
  const instance = i18next.createInstance()
  void instance.init({
    resources: RESOURCES as Record<string, Record<string, object>>,
    lng,
    fallbackLng: 'en',
    ns: [...NAMESPACES],
    initAsync: false,
  })
  return (key, options) => instance.t(key, { ...options })
}

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\u0000']

describe('CSV export neutralizes formula injection (OWASP, CWE-1236)', () => {
  test('every trigger character gets a leading quote; harmless text and numbers stay', () => {
    expect(neutralizeCell('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")')
    expect(neutralizeCell('+1')).toBe("'+1")
    expect(neutralizeCell('-2+3')).toBe("'-2+3")
    expect(neutralizeCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(neutralizeCell('\t=1')).toBe("'\t=1")
    expect(neutralizeCell('\r=1')).toBe("'\r=1")
    expect(neutralizeCell('＝1+1')).toBe("'＝1+1")
    expect(neutralizeCell('smtp:*;1')).toBe('smtp:*;1')
    expect(toCsv([['a', -5, true, null, undefined, '=cmd|" /C calc"!A0']])).toBe(
      '"a","-5","true",,,"\'=cmd|"" /C calc""!A0"\r\n',
    )
  })

  test('property: no exported text cell starts with a trigger, and the content round-trips', () => {
    const cellArb = fc.oneof(
      fc.string(),
      fc.constantFrom(...TRIGGERS).chain((c) => fc.string().map((s) => c + s)),
    )
    fc.assert(
      fc.property(
        fc.array(fc.array(cellArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const csv = toCsv(rows)
          const parsed = Papa.parse<string[]>(csv, {
            header: false,
            delimiter: ',',
            newline: '\r\n',
            skipEmptyLines: false,
          })
          const data = parsed.data.slice(0, rows.length)
          data.forEach((row, i) => {
            row.forEach((cell, j) => {
              const original = rows[i]![j]!
              expect(TRIGGERS.includes(cell[0] ?? '')).toBe(false)
              expect(
                cell.startsWith("'") && TRIGGERS.includes(original[0] ?? '') ? cell.slice(1) : cell,
              ).toBe(original)
            })
          })
        },
      ),
      { numRuns: 1_000 },
    )
  })

  test('findings rows for a spreadsheet neutralize evidence from a hostile export', () => {
    const r = importFixtures('inbound.ps7.json.txt')
    const obj = r.objects.InboundConnector[0]!
    const hostile = {
      ...r.objects,
      InboundConnector: [{ ...obj, identity: '=HYPERLINK("http://evil")' }],
    }
    const findings = auditTenant(hostile, undefined, { now: NOW })
    const csv = toCsv(findingsToRows(findings, translator('en')))
    expect(csv).toContain('"\'=HYPERLINK(""http://evil"")"')
    expect(csv.split('\r\n')[0]).toBe(
      '"Rule","Severity","Object type","Object","Property","Value","Finding","Why it matters","How to fix"',
    )
  })
})

describe('ticket-ready summary', () => {
  const r = importFixtures('inbound.fl.txt', 'outbound.ps51.json.txt', 'accepted.fl.txt')
  const findings = auditTenant(
    r.objects,
    { senderDomain: 'contoso-invoices.net', status: '5.7.750' },
    { now: NOW },
  )

  test('English: NDR findings first, then by severity, with evidence, why and fix', () => {
    const md = renderFindingsSummary(findings, translator('en'))
    expect(md.startsWith('## Connector audit\n')).toBe(true)
    expect(md).toMatch(/### Findings that explain this bounce[\s\S]*### Medium/)
    expect(md).toContain('- **[High] N1 Sender domain is not an accepted domain**')
    expect(md).toContain('Inbound connector `xK9qLm2Tz`, `TreatMessagesAsInternal` = `True`')
    expect(md).toContain('Why: ')
    expect(md).toContain('Fix: ')
    expect(md).not.toContain('&quot;')
    expect(md).not.toMatch(/\{\{|audit:/)
  })

  test('every language renders without missing keys or raw placeholders', () => {
    for (const lng of LANGUAGES) {
      const md = renderFindingsSummary(findings, translator(lng))
      expect(md, lng).not.toMatch(/\{\{|audit:|undefined/)
    }
  })

  test('no findings gives a short, positive summary', () => {
    expect(renderFindingsSummary([], translator('en'))).toContain('No red flags were found')
  })
})
