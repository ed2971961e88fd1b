import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, test } from 'vitest'
import { createBackend } from '../../../main/backend/backend'
import { main } from '../../../main/cli/index'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CaseExplanation, CaseSummary } from '../../../main/core/api/contract'
import type { Language } from '../../../main/core/i18n/languages'
import { ok, openTestBackend } from '../../support/backend'
import { SHARED_DIR, tempDir } from '../../support/tmp'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const open = () => openTestBackend()

const HOSTILE = `Subject: <script>alert(1)</script><img src=x onerror=alert(2)>

Remote Server returned '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains'`

describe('case reports', () => {
  test('a spam complaint or an auto-reply is named as such, in the explanation and the report', async () => {
    const { backend } = open()
    const corpus = (f: string) => readFileSync(join(SHARED_DIR, 'corpus', 'microsoft', f), 'latin1')
    const said = async (file: string, language: Language) => {
      const c = await ok<CaseSummary>(backend.call('cases.analyze', { text: corpus(file) }))
      const e = await ok<CaseExplanation>(backend.call('cases.explain', { id: c.id, language }))
      const md = await ok<string>(
        backend.call('cases.report', { id: c.id, language, format: 'md' }),
      )
      return { e, md }
    }
    const arf = await said('arf-22.eml', 'fr')
    expect(arf.e).toMatchObject({ items: [], notBounce: 'spam-complaint' })
    expect(arf.md).toContain("Rien à expliquer : il s'agit d'une plainte pour courrier indésirable")
    const vacation = await said('rfc3834-02.eml', 'en')
    expect(vacation.e).toMatchObject({ items: [], notBounce: 'auto-reply' })
    expect(vacation.md).toContain('this is an automatic reply')
    // A bounce has no such reason.
    const c = await ok<CaseSummary>(backend.call('cases.analyze', { text: HOSTILE }))
    const e = await ok<CaseExplanation>(backend.call('cases.explain', { id: c.id, language: 'en' }))
    expect(e.notBounce).toBeNull()
    expect(e.items.length).toBe(1)
  })

  test('Markdown carries the explanation, the step states with notes and authors, in the language asked', async () => {
    const { backend } = open()
    const c = await ok<CaseSummary>(backend.call('cases.analyze', { text: HOSTILE }))
    const steps = (
      await ok<{ items: { explanation: { steps: { id: string }[] } }[] }>(
        backend.call('cases.explain', { id: c.id, language: 'en' }),
      )
    ).items[0]!.explanation.steps
    await ok(
      backend.call('cases.setStep', {
        id: c.id,
        key: `0:0:${steps[0]!.id}`,
        state: 'done',
        note: 'Added contoso.com',
      }),
    )
    await ok(backend.call('cases.setStep', { id: c.id, key: `0:0:${steps[1]!.id}`, state: 'na' }))
    await ok(backend.call('cases.update', { id: c.id, ticket: 'INC-1' }))

    const en = await ok<string>(
      backend.call('cases.report', { id: c.id, language: 'en', format: 'md' }),
    )
    expect(en).toContain('5.7.750')
    expect(en).toContain('INC-1')
    expect(en).toMatch(/1\. \[x\] .+\(Done\)/)
    expect(en).toMatch(/2\. \[~\] .+\(Not applicable\)/)
    expect(en).toContain('> Added contoso.com')
    expect(en).toContain('anna')

    const fr = await ok<string>(
      backend.call('cases.report', { id: c.id, language: 'fr', format: 'md' }),
    )
    expect(fr).toContain('(Fait)')
    expect(fr).not.toBe(en)
    // Labels and lists are written as each language writes them.
    expect(en).toContain('- Ticket number: INC-1')
    expect(fr).toMatch(/- [^\n:]+ : INC-1/)
    expect(fr).not.toMatch(/\S: INC-1/)
    const zh = await ok<string>(
      backend.call('cases.report', { id: c.id, language: 'zh-TW', format: 'md' }),
    )
    expect(zh).toMatch(/- [^\n：]+：INC-1/)
    // 5.7.750: the sender's admin, then Microsoft support.
    expect(zh).toContain('寄件者的系統管理員、Microsoft 支援服務')
    expect(en).toContain("**Who must act**: The sender's admin, Microsoft support")
  })

  test('HTML escapes everything that came from the bounce and forbids scripts', async () => {
    const { backend } = open()
    const c = await ok<CaseSummary>(backend.call('cases.analyze', { text: HOSTILE }))
    const html = await ok<string>(
      backend.call('cases.report', { id: c.id, language: 'ja', format: 'html' }),
    )
    expect(html).toContain("default-src 'none'")
    expect(html).not.toMatch(/<script|<img/i)
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;')
    expect(html).toContain('&lt;script&gt;')
    expect(html).toContain('<html lang="ja">')
  })

  test('the CLI exports the same report: case export ID --format md|html --lang L', async () => {
    const { backend, dir } = open()
    const c = await ok<CaseSummary>(backend.call('cases.analyze', { text: HOSTILE }))
    backend.close()
    const stdout = new PassThrough()
    let out = ''
    stdout.on('data', (d: Buffer) => (out += d.toString()))
    const code = await main(
      ['case', 'export', String(c.id), '--format', 'html', '--lang', 'it', '--data-dir', dir],
      {
        stdout,
        stderr: new PassThrough(),
      },
    )
    expect(code).toBe(0)
    expect(out).toContain('<html lang="it">')
    expect(out).toContain('Caso')
  })
})

describe('PDF reports', () => {
  test('outside the desktop app PDF is refused as unsupported', async () => {
    const { backend } = open()
    const c = await ok<CaseSummary>(backend.call('cases.analyze', { text: HOSTILE }))
    expect(
      await backend.call('cases.report', { id: c.id, language: 'en', format: 'pdf' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    })
  })

  test('in the desktop app the escaped HTML report goes to the printer and comes back as base64', async () => {
    const t = tempDir()
    let printed = ''
    // Stands in for Electron's printToPDF, which cannot run on these machines.
    const renderPdf = (html: string) => {
      printed = html
      return Promise.resolve(new TextEncoder().encode('%PDF-1.7 fake'))
    }
    const backend = createBackend({
      dataDir: t.dir,
      mode: 'electron',
      version: '1',
      systemLocales: [],
      renderPdf,
    })
    cleanups.push(() => backend.close(), t.cleanup)
    const c = await ok<CaseSummary>(backend.call('cases.analyze', { text: HOSTILE }))
    const b64 = await ok<string>(
      backend.call('cases.report', { id: c.id, language: 'fr', format: 'pdf' }),
    )
    expect(Buffer.from(b64, 'base64').toString()).toBe('%PDF-1.7 fake')
    expect(printed).toContain('<html lang="fr">')
    expect(printed).not.toMatch(/<script/i)
  })
})
