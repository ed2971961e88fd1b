import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  foreignRequests,
  launchApp,
  pasteAndAnalyze,
  pasteAndExplain,
  REPO_ROOT,
  type AppHandle,
} from './support/app'
import { seriousViolations } from './support/axe'
import { tallScreenshot } from './support/screenshot'

const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpus')

describe('opening bounce files', () => {
  let app: AppHandle
  beforeAll(async () => {
    app = await launchApp({ locale: 'en-US' })
  })
  afterAll(async () => {
    await app?.close()
  })

  test('a real Exchange Online bounce (.eml) shows its recipient, status and reply code', async () => {
    const page = app.page
    await page.getByTestId('paste-area').waitFor()
    await page
      .locator('input[type=file]')
      .setInputFiles(join(CORPUS, 'microsoft', 'lhost-office365-01.eml'))
    await expect
      .poll(() => page.getByTestId('paste-area').inputValue())
      .toContain('Undeliverable: Nyaan')
    await page.getByTestId('analyze').click()
    await page.getByTestId('case-view').waitFor()
    await expect(page.getByTestId('case-status').textContent()).resolves.toBe('5.1.10')
    await page.getByTestId('tab-details').click()
    await expect(page.getByTestId('recipient-status').first().textContent()).resolves.toBe('5.1.10')
    await expect(page.getByTestId('recipient-row').first().textContent()).resolves.toContain('550')
    await expect(page.getByTestId('parsed-kind').first().textContent()).resolves.toBe(
      'Non-delivery report',
    )
    // The language is named, not given as a tag alone.
    await expect(page.getByTestId('parsed-message').first().textContent()).resolves.toContain(
      'English (en)',
    )
  })

  test('a bounce dropped on the paste area is loaded like an opened file', async () => {
    const page = app.page
    await page.getByTestId('new-analysis').click()
    const eml = readFileSync(join(CORPUS, 'other', 'lhost-postfix-04.eml'), 'latin1')
    const dt = await page.evaluateHandle(
      `(() => { const d = new DataTransfer(); d.items.add(new File([${JSON.stringify(eml)}], 'dropped.eml')); return d })()`,
    )
    await page.getByTestId('paste-area').dispatchEvent('drop', { dataTransfer: dt })
    await expect.poll(() => page.getByTestId('paste-area').inputValue()).toContain('Postfix')
  })

  test('an unreadable binary file gets a clear error, and nothing is stored', async () => {
    const page = app.page
    await page.getByTestId('new-analysis').click()
    const before = await page.getByTestId('case-item').count()
    const junk = Buffer.from([
      0xd0,
      0xcf,
      0x11,
      0xe0,
      0xa1,
      0xb1,
      0x1a,
      0xe1,
      ...Array<number>(600).fill(0xff),
    ])
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'broken.msg', mimeType: 'application/vnd.ms-outlook', buffer: junk })
    await expect.poll(() => page.getByTestId('paste-area').inputValue()).toContain('broken.msg')
    await page.getByTestId('analyze').click()
    await page.getByTestId('error-bar').waitFor()
    await expect(page.getByTestId('error-bar').textContent()).resolves.toMatch(
      /\.msg|could not be read/i,
    )
    expect(await page.getByTestId('case-item').count()).toBe(before)
    // The error belongs to that attempt: a bounce opened next shows its case without it.
    await page
      .locator('input[type=file]')
      .setInputFiles(join(CORPUS, 'microsoft', 'lhost-office365-01.eml'))
    await expect.poll(() => page.getByTestId('paste-area').inputValue()).toContain('Undeliverable')
    await page.getByTestId('analyze').click()
    await page.getByTestId('case-view').waitFor()
    expect(await page.getByTestId('error-bar').count()).toBe(0)
    expect(foreignRequests(app)).toEqual([])
  })
})

describe('the explanation', () => {
  let app: AppHandle
  beforeAll(async () => {
    app = await launchApp({ locale: 'en-US' })
  })
  afterAll(async () => {
    await app?.close()
  })

  test('5.7.750 is explained from the catalogue with who acts, a checklist and a message for the user', async () => {
    const page = app.page
    const card = await pasteAndExplain(
      page,
      "Remote Server returned '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains'",
    )
    await expect(card.getByTestId('explanation-source').textContent()).resolves.toBe(
      'Microsoft code',
    )
    const title = (await card.getByTestId('explanation-title').textContent()) ?? ''
    expect(title.length).toBeGreaterThan(5)
    expect(await card.getByTestId('who-acts').textContent()).toMatch(/Who must act/)
    const steps = card.getByTestId('step')
    expect(await steps.count()).toBeGreaterThanOrEqual(3)
    expect((await card.getByTestId('end-user-message').textContent())?.length).toBeGreaterThan(20)
    expect(await seriousViolations(page)).toEqual([])
    await steps.first().click()
    await expect.poll(() => card.textContent()).toContain('1 of')
    await tallScreenshot(page, join(REPO_ROOT, 'assets', 'screenshots', 'explanation-en.png'))

    // The explanation language is independent of the UI language.
    await page.getByTestId('explain-language').click()
    await page.getByTestId('explain-language-fr').click()
    await expect.poll(() => card.getByTestId('explanation-title').textContent()).not.toBe(title)
    await expect(card.getByTestId('explanation-source').textContent()).resolves.toBe(
      'Microsoft code',
    )
    expect(await page.locator('[data-testid=explanation] [lang=fr]').count()).toBe(1)
    expect(foreignRequests(app)).toEqual([])
  })

  test('a bare code typed alone gets its own catalogue entry', async () => {
    // Parsed with system 'unknown' (no evidence either way); it used to be taken for a foreign
    // server and explained from the reason category ("Sender rejected").
    const page = app.page
    await page.getByTestId('new-analysis').click()
    const card = await pasteAndExplain(page, '5.7.750')
    await expect(card.getByTestId('explanation-source').textContent()).resolves.toBe(
      'Microsoft code',
    )
    await expect(card.getByTestId('explanation-title').textContent()).resolves.toBe(
      'Tenant blocked: sending from unregistered domains',
    )
  })

  test('an unknown code still gets a useful general explanation', async () => {
    const page = app.page
    await page.getByTestId('new-analysis').click()
    const card = await pasteAndExplain(
      page,
      '550 5.3.9 Something unusual happened on the remote system',
    )
    await expect(card.getByTestId('explanation-source').textContent()).resolves.toBe(
      'General explanation',
    )
    expect(await card.getByTestId('step').count()).toBeGreaterThanOrEqual(1)
  })

  test('an out-of-office reply is stored but says why there is nothing to explain', async () => {
    const page = app.page
    await page.getByTestId('new-analysis').click()
    await pasteAndAnalyze(
      page,
      [
        'From: Anna Rossi <anna@fabrikam.example>',
        'To: sender@contoso.com',
        'Subject: Automatic reply: Invoice 2026-0514',
        'Auto-Submitted: auto-replied',
        '',
        'I am out of the office until Monday.',
      ].join('\n'),
    )
    // Not "could not be read as a bounce": it was read, and it is an auto-reply.
    await expect(page.getByTestId('no-explanation').textContent()).resolves.toBe(
      'Nothing to explain: this is an automatic reply (an out-of-office message, for example), ' +
        'not a bounce. The message it answers was delivered.',
    )
    expect(await page.getByTestId('explained-recipient').count()).toBe(0)
  })
})
