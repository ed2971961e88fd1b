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

  it('explains a code typed instead of a file name, from its own catalogue entry', async () => {
    const c = ctx('en')
    expect(await explainCmd(['5.7.750', '--json'], c.ctx)).toBe(0)
    const line = JSON.parse(c.out().trim().split('\n')[0]!) as JsonLine
    expect(line.recipients[0]!.status).toBe('5.7.750')
    // Not "sender rejected" from the reason category: a bare code is no evidence of a foreign system.
    expect(line.recipients[0]!.explanation.entryId).toBe('5-7-750')
    const z = ctx('zh-TW')
    expect(await explainCmd(['5.1.10'], z.ctx)).toBe(0)
    expect(z.out()).toContain('[5.1.10] 找不到收件者')
    // A code that no entry has still gets the RFC 3463 meaning; a non-code name is a file name.
    expect(await explainCmd(['5.3.4'], ctx().ctx)).toBe(0)
    const d = ctx()
    expect(await explainCmd(['5.7.750.eml'], d.ctx)).toBe(1)
    expect(d.err()).toContain('5.7.750.eml')
  })

  it('a message that is not a bounce is said to be one, not explained as a failed delivery', async () => {
    // A spam complaint (ARF) from the corpus: read fine, nothing bounced.
    const arf = ctx('it')
    expect(await explainCmd(['microsoft/arf-22.eml'], arf.ctx)).toBe(0)
    expect(arf.out().trim()).toBe(
      'Non sembra un messaggio di mancato recapito: Segnalazione di spam (rapporto di feedback)',
    )
    // Words that hold no bounce at all: the same sentence, and a failure exit as for `parse`.
    const words = ctx('fr', 'Bonjour, mon message est-il bien parti ?\n')
    expect(await explainCmd(['-'], words.ctx)).toBe(1)
    expect(words.err()).toContain('Ceci ne ressemble pas à un message de non-remise')
    expect(words.out()).toBe('')
    const json = ctx('en', 'hello\n')
    expect(await explainCmd(['-', '--json'], json.ctx)).toBe(1)
    expect(JSON.parse(json.out())).toMatchObject({
      kind: 'not-ndr',
      notNdrReason: 'unreadable',
      recipients: [],
    })
  })

  it('a code of a class RFC 3463 does not have is a usage error, not a missing file', async () => {
    const c = ctx('ja')
    expect(await explainCmd(['9.9.9'], c.ctx)).toBe(2)
    expect(c.err()).toContain('「9.9.9」は拡張ステータス コードではありません')
    expect(c.err()).not.toContain('ファイル')
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
  it('looks up the codes given: a whole code, a family start, a range, one it does not know', async () => {
    const ids = async (argv: string[]): Promise<[number, string[], string]> => {
      const c = ctx('en')
      const code = await codes([...argv, '--json'], c.ctx)
      return [code, (JSON.parse(c.out()) as { id: string }[]).map((r) => r.id), c.err()]
    }
    // 5.7.750 has its own entry: not the 5.7.x catch-all whose range also holds it.
    expect(await ids(['5.7.750'])).toEqual([0, ['5-7-750'], ''])
    // Microsoft writes families as "5.7.7xx"; "5.7.7" alone is a whole code (RFC 3463's 5.7.7).
    const [, family] = await ids(['5.7.7xx'])
    expect(family).toContain('5-7-750')
    expect(family).toContain('5-7-711')
    expect(family.every((id) => id.startsWith('5-7-7'))).toBe(true)
    expect((await ids(['5.7.7']))[1]).toEqual(['5-7-x'])
    // A code inside a range, and two codes at once (catalogue order, each entry once).
    expect((await ids(['4.7.550']))[1]).toEqual(['4-7-500-699'])
    const [, two] = await ids(['5.7.750', '5.1.10', '5.7.750'])
    expect(two).toEqual(
      CATALOGUE.filter((e) => ['5-1-10', '5-7-750'].includes(e.id)).map((e) => e.id),
    )
    // Not in the catalogue: exit 1 and a pointer to explain, in the language asked.
    const c = ctx('en')
    expect(await codes(['9.9.9'], c.ctx)).toBe(2)
    const f = ctx('en')
    expect(await codes(['5.9.99', '--lang', 'fr'], f.ctx)).toBe(1)
    expect(f.err()).toContain('5.9.99 : aucune entrée dans le catalogue')
    expect(f.err()).toContain('ndr-assistant explain 5.9.99')
  })

  it('prints a text table in the requested language', async () => {
    const c = ctx('en')
    expect(await codes(['--lang=fr'], c.ctx)).toBe(0)
    expect(c.out()).toContain(`Entrées du catalogue : ${CATALOGUE.length}`)
    expect(await codes(['extra'], ctx().ctx)).toBe(2)
  })
})
