// The explain and codes commands, run in-process with a fake CliContext, on real corpus samples.
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import { run as codes } from '../../../main/cli/commands/codes'
import { run as explainCmd } from '../../../main/cli/commands/explain'
import type { CliContext } from '../../../main/cli/commands/types'
import type { Language } from '../../../main/core/i18n/languages'
import { NAMESPACES, RESOURCES } from '../../../main/core/i18n/resources'
import { CATALOGUE } from '../../../main/core/kb/index'

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url))

function ctx(
  lang: Language = 'en',
  stdinText = '',
): { ctx: CliContext; out: () => string; err: () => string } {
  const inst = i18next.createInstance()
  void inst.init({
    lng: lang,
    fallbackLng: 'en',
    ns: [...NAMESPACES],
    resources: RESOURCES as Record<string, Record<string, object>>,
    initAsync: false,
    interpolation: { escapeValue: false },
  })
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const stdin = new PassThrough()
  stdin.end(stdinText)
  let o = ''
  let e = ''
  stdout.on('data', (c: Buffer) => (o += c.toString()))
  stderr.on('data', (c: Buffer) => (e += c.toString()))
  return {
    ctx: {
      stdin,
      stdout,
      stderr,
      lang,
      t: inst.t,
      loadT: () => Promise.resolve(inst.t),
      cwd: CORPUS,
      env: {},
    },
    out: () => o,
    err: () => e,
  }
}

interface JsonLine {
  recipients: {
    address: string | null
    status: string | null
    explanation: {
      code: string
      source: string
      entryId: string
      title: string
      steps: { text: string }[]
    }
  }[]
}

describe('ndr-assistant explain', () => {
  it('explains an Exchange Online 5.1.10 bounce in Japanese, as JSON', async () => {
    const c = ctx('en')
    expect(
      await explainCmd(['microsoft/lhost-office365-01.eml', '--lang', 'ja', '--json'], c.ctx),
    ).toBe(0)
    const line = JSON.parse(c.out().trim().split('\n')[0]!) as JsonLine
    const r = line.recipients[0]!
    expect(r.status).toBe('5.1.10')
    expect(r.explanation.source).toBe('catalogue')
    expect(r.explanation.entryId).toBe('5-1-10')
    expect(r.explanation.title).toBe('受信者が見つからない')
    expect(r.explanation.steps.length).toBeGreaterThan(3)
  })

  it('explains a relayed Microsoft 5.7.606 rejection from the catalogue, in French text', async () => {
    const c = ctx('fr')
    expect(await explainCmd(['microsoft/lhost-qmail-09.eml'], c.ctx)).toBe(0)
    expect(c.out()).toContain('[5.7.606]')
    expect(c.out()).toContain('Qui doit agir')
    expect(c.out()).toContain('https://sender.office.com/')
  })

  it('reads standard input and explains a pasted diagnostic line', async () => {
    const c = ctx(
      'it',
      "Remote Server returned '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains'\n",
    )
    expect(await explainCmd(['-', '--json'], c.ctx)).toBe(0)
    const line = JSON.parse(c.out().trim().split('\n')[0]!) as JsonLine
    expect(line.recipients[0]!.explanation.entryId).toBe('5-7-750')
  })

  it('usage errors exit 2, unreadable files exit 1', async () => {
    const a = ctx()
    expect(await explainCmd(['--bogus'], a.ctx)).toBe(2)
    expect(a.err()).toContain('Unknown option: --bogus')
    const b = ctx()
    expect(await explainCmd(['--lang', 'de'], b.ctx)).toBe(2)
    const d = ctx()
    expect(await explainCmd(['does-not-exist.eml'], d.ctx)).toBe(1)
    expect(d.err()).toContain('does-not-exist.eml')
  })
})

describe('ndr-assistant codes', () => {
  it('lists the whole catalogue as JSON', async () => {
    const c = ctx('zh-TW')
    expect(await codes(['--json'], c.ctx)).toBe(0)
    const rows = JSON.parse(c.out()) as { id: string; codes: string[]; title: string }[]
    expect(rows).toHaveLength(CATALOGUE.length)
    expect(rows.find((r) => r.id === '5-7-750')?.title).toBe('租用戶遭封鎖：從未註冊的網域傳送')
    expect(rows.find((r) => r.id === '4-7-500-699')?.codes).toEqual(['4.7.500–4.7.699'])
  })
  it('prints a text table in the requested language', async () => {
    const c = ctx('en')
    expect(await codes(['--lang=fr'], c.ctx)).toBe(0)
    expect(c.out()).toContain(`${CATALOGUE.length} entrées dans le catalogue`)
    expect(await codes(['extra'], ctx().ctx)).toBe(2)
  })
})
