import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import i18next, { type TFunction } from 'i18next'
import { describe, expect, test } from 'vitest'
import { run } from '../../../main/cli/commands/audit'
import type { CliContext } from '../../../main/cli/commands/types'
import { LANGUAGES, type Language } from '../../../main/core/i18n/languages'
import { NAMESPACES, RESOURCES } from '../../../main/core/i18n/resources'

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url))

function translator(lng: Language): TFunction {
  const instance = i18next.createInstance()
  void instance.init({
    resources: RESOURCES as Record<string, Record<string, object>>,
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: [...NAMESPACES],
    defaultNS: 'common',
    initAsync: false,
  })
  return instance.t
}

async function cli(
  argv: string[],
  lng: Language = 'en',
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString()))
  stderr.on('data', (c: Buffer) => (err += c.toString()))
  const ctx: CliContext = {
    stdin: new PassThrough(),
    stdout,
    stderr,
    lang: lng,
    t: translator(lng),
    loadT: () => Promise.resolve(translator(lng)),
    cwd: FIXTURES,
    env: {},
  }
  const code = await run(argv, ctx)
  return { code, out, err }
}

describe('ndr-assistant audit', () => {
  test('prints the objects read and the findings with rule, severity, object, property, value, message', async () => {
    const r = await cli(['inbound.fl.txt', 'accepted.fl.txt', '--now', '2026-05-20T00:00:00Z'])
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    expect(r.out).toContain('inbound.fl.txt: Format-List text, 2 objects (Inbound connector)')
    expect(r.out).toContain(
      'Objects read: inbound connectors 2, outbound connectors 0, accepted domains 3.',
    )
    expect(r.out).toContain('Inbound connector: xK9qLm2Tz')
    expect(r.out).toContain(
      '[High] I1 Inbound connector “xK9qLm2Tz” WhenCreatedUTC = 2026-05-12T02:03:55.000Z: The OnPremises inbound connector “xK9qLm2Tz” was created 7 days before the export (source: AdminUI), not by the Hybrid Configuration Wizard.',
    )
    // Evidence is printed as is: no HTML escaping of `*`, `/` or quotes.
    expect(r.out).not.toContain('&#x2F;')
    expect(r.out).toContain('warning: Some lists were cut')
  })

  test('counted words agree with their number in every language (one day, one finding, one object)', async () => {
    // The fixture's connector was created 2026-05-12T02:03:55Z.
    const dayAfter = ['inbound.fl.txt', '--now', '2026-05-13T12:00:00Z']
    const en = await cli(dayAfter)
    expect(en.out).toContain('was created 1 day before the export')
    expect(en.out).not.toContain('1 days')
    const fr = await cli(dayAfter, 'fr')
    expect(fr.out).toContain('a été créé 1 jour avant')
    const it = await cli(dayAfter, 'it')
    expect(it.out).toContain('è stato creato 1 giorno prima')
    const week = await cli(['inbound.fl.txt', '--now', '2026-05-20T00:00:00Z'], 'fr')
    expect(week.out).toContain('a été créé 7 jours avant')
    // One object read, and a single JSON object that is not a connector.
    const one = await cli(['accepted.fl.txt', '--now', '2026-05-20T00:00:00Z'])
    expect(one.out).toContain('Format-List text, 3 objects')
    const odd = await cli(['bad/single-object.json.txt'])
    expect(odd.out).toContain('0 objects')
    expect(odd.out).toContain('The object read is not an inbound connector')
    expect((await cli(['bad/single-object.json.txt'], 'fr')).out).toContain('0 objet ')
  })

  test('--json gives machine-readable findings with the six fields', async () => {
    const r = await cli(['inbound.ps51.json.txt', '--json', '--now=2026-05-20T00:00:00Z'])
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out) as {
      findings: Record<string, unknown>[]
      objects: { InboundConnector: unknown[] }
    }
    expect(json.objects.InboundConnector).toHaveLength(2)
    const i9 = json.findings.find((f) => f.rule === 'I9')
    expect(i9).toMatchObject({
      severity: 'high',
      objectType: 'InboundConnector',
      object: 'xK9qLm2Tz',
      property: 'TreatMessagesAsInternal',
      value: 'True',
    })
    expect(i9!.message).toMatch(/TreatMessagesAsInternal/)
  })

  test('--ndr joins the bounce: the 5.7.750 sender domain is not accepted and ranks first', async () => {
    const r = await cli([
      'accepted.fl.txt',
      'inbound.clixml',
      '--ndr',
      'ndr-5.7.750.eml',
      '--json',
      '--now',
      '2026-05-20T00:00:00Z',
    ])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out) as {
      ndr: Record<string, unknown>
      findings: { rule: string; explainsNdr: boolean; value: string }[]
    }
    expect(json.ndr.status).toBe('5.7.750')
    const n1 = json.findings.find((f) => f.rule === 'N1')
    expect(n1?.value).toContain('contoso-invoices.net')
    expect(json.findings[0]!.explainsNdr).toBe(true)
    expect(json.findings.map((f) => f.rule)).toContain('N5')
  })

  test('localized output in every language', async () => {
    for (const lng of LANGUAGES) {
      const r = await cli(['inbound.fl.txt', '--now', '2026-05-20T00:00:00Z'], lng)
      expect(r.code, lng).toBe(0)
      expect(r.out, lng).toContain('xK9qLm2Tz')
      expect(r.out, lng).not.toMatch(/audit:/)
    }
  })

  test('bad input: unknown file, wrong object type, refused XML, usage errors', async () => {
    const missing = await cli(['nope.csv'])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('Cannot read nope.csv: there is no file or folder by that name')
    const wrong = await cli(['bad/mailbox.csv'])
    expect(wrong.code).toBe(1)
    expect(wrong.out).toContain('None of the 2 objects is an inbound connector')
    const xxe = await cli(['bad/xxe.clixml'])
    expect(xxe.code).toBe(1)
    expect(xxe.out).toContain('DOCTYPE')
    expect((await cli([])).code).toBe(2)
    expect((await cli(['inbound.fl.txt', '--bogus'])).code).toBe(2)
    expect((await cli(['inbound.fl.txt', '--now', 'yesterday'])).code).toBe(2)
  })
})

describe('audit --csv', () => {
  test('findings go out as CSV with spreadsheet formulas neutralized', async () => {
    const r = await cli([
      '--csv',
      '--ndr',
      FIXTURES + 'ndr-5.7.750.eml',
      FIXTURES + 'inbound.ps7.json.txt',
      FIXTURES + 'accepted.fl.txt',
    ])
    expect(r.code).toBe(0)
    const lines = r.out.trim().split(/\r?\n/)
    expect(lines.length).toBeGreaterThan(1)
    expect(lines.slice(1).every((l) => !/^[=+\-@\t\r]/.test(l))).toBe(true)
  })
})
