import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import {
  foreignRequests,
  launchApp,
  pasteAndAnalyze,
  REPO_ROOT,
  type AppHandle,
} from './support/app'
import { seriousViolations } from './support/axe'

const BOUNCE = `Remote Server returned '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains'`
const SHOTS = join(REPO_ROOT, 'assets', 'screenshots')

async function analyze(page: Page, text: string): Promise<void> {
  await page.getByTestId('new-analysis').click()
  await pasteAndAnalyze(page, text)
}

describe('the vertical slice, end to end', () => {
  let app: AppHandle
  beforeAll(async () => {
    app = await launchApp({ locale: 'en-US' })
  })
  afterAll(async () => {
    await app?.close()
  })

  test('the first screen invites a paste and has no serious accessibility violation', async () => {
    await app.page.getByTestId('paste-area').waitFor()
    await expect(app.page.getByTestId('case-list-empty').textContent()).resolves.toContain(
      'No cases yet',
    )
    expect(await app.page.getByTestId('analyze').isDisabled()).toBe(true)
    expect(await seriousViolations(app.page)).toEqual([])
  })

  test('paste, analyze, and the case shows its status code', async () => {
    await analyze(app.page, BOUNCE)
    await expect(app.page.getByTestId('case-status').textContent()).resolves.toBe('5.7.750')
    await app.page.getByTestId('tab-details').click()
    await expect(app.page.getByTestId('case-source').textContent()).resolves.toBe(BOUNCE)
    expect(await app.page.getByTestId('case-item').count()).toBe(1)
    expect(await seriousViolations(app.page)).toEqual([])
    mkdirSync(SHOTS, { recursive: true })
    await analyze(
      app.page,
      "Subject: Undeliverable: Quarterly report\n\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
    )
    await app.page.getByTestId('case-item').nth(1).click()
    await app.page.getByTestId('case-item').first().click()
    await app.page.screenshot({ path: join(SHOTS, 'app-en.png') })
  })

  test('after the backend restarts, the cases are still there', async () => {
    await app.restart()
    await app.page.getByTestId('case-list').waitFor()
    const statuses = await app.page.getByTestId('case-item').allTextContents()
    expect(statuses).toHaveLength(2)
    expect(statuses.join(' ')).toContain('5.7.750')
    expect(statuses.join(' ')).toContain('5.1.10')
    await app.page.getByTestId('case-item').filter({ hasText: '5.7.750' }).click()
    await app.page.getByTestId('tab-details').click()
    await expect(app.page.getByTestId('case-source').textContent()).resolves.toBe(BOUNCE)
  })

  test('search narrows the case list', async () => {
    await app.page.getByTestId('case-search').fill('5.1.10')
    await expect.poll(() => app.page.getByTestId('case-item').count()).toBe(1)
    await app.page.getByTestId('case-search').fill('no-such-thing')
    await app.page.getByTestId('case-list-empty').waitFor()
    await app.page.getByTestId('case-search').fill('')
    await expect.poll(() => app.page.getByTestId('case-item').count()).toBe(2)
  })

  test('switching to Japanese shows Japanese, and the choice survives a restart', async () => {
    await app.page.getByTestId('language-switcher').click()
    await app.page.getByTestId('language-ja').click()
    await expect.poll(() => app.page.getByTestId('new-analysis').textContent()).toBe('新しい分析')
    expect(await app.page.locator('html').getAttribute('lang')).toBe('ja')
    await app.page.getByTestId('new-analysis').click()
    expect(await seriousViolations(app.page)).toEqual([])
    await app.page.screenshot({ path: join(SHOTS, 'app-ja.png') })
    await app.restart()
    await expect.poll(() => app.page.getByTestId('new-analysis').textContent()).toBe('新しい分析')
  })

  test('no request left the app', () => {
    expect(app.requests.length).toBeGreaterThan(5)
    expect(foreignRequests(app)).toEqual([])
  })
})

describe('first start', () => {
  test.each([
    ['fr-FR', 'Nouvelle analyse'],
    ['zh-TW', '新增分析'],
    ['it-IT', 'Nuova analisi'],
    ['de-DE', 'New analysis'],
  ])('with the OS in %s, the app starts in its language (or English)', async (locale, label) => {
    const app = await launchApp({ locale })
    try {
      await expect.poll(() => app.page.getByTestId('new-analysis').textContent()).toBe(label)
      expect(foreignRequests(app)).toEqual([])
    } finally {
      await app.close()
    }
  })
})
