import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  foreignRequests,
  launchApp,
  type AppHandle,
  pasteAndAnalyze,
  pasteAndExplain,
} from './support/app'
import { seriousViolations } from './support/axe'

describe('tracking the remediation, end to end', () => {
  let app: AppHandle
  beforeAll(async () => {
    app = await launchApp({ locale: 'en-US' })
  })
  afterAll(async () => {
    await app?.close()
  })

  test('ticks, states and notes survive a restart, exactly where the user left them', async () => {
    let page = app.page
    const card = await pasteAndExplain(
      page,
      "Remote Server returned '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains'",
    )
    const rows = card.getByTestId('step-row')
    await rows.nth(0).getByTestId('step').click()
    await expect.poll(() => rows.nth(0).getAttribute('data-state')).toBe('done')
    await rows.nth(1).getByTestId('step-state').selectOption('na')
    await expect.poll(() => rows.nth(1).getAttribute('data-state')).toBe('na')
    await rows.nth(2).getByTestId('step-note-toggle').click()
    await rows.nth(2).getByTestId('step-note').fill('Asked the network team for the relay list')
    await rows.nth(2).getByTestId('step-note-save').click()
    await expect.poll(() => rows.nth(2).textContent()).toContain('Asked the network team')
    await expect.poll(() => card.textContent()).toContain('2 of')
    expect(await seriousViolations(page)).toEqual([])

    await app.restart()
    page = app.page
    await page.getByTestId('case-item').first().click()
    const again = page.getByTestId('explained-recipient').first().getByTestId('step-row')
    await expect.poll(() => again.nth(0).getAttribute('data-state')).toBe('done')
    await expect.poll(() => again.nth(1).getAttribute('data-state')).toBe('na')
    expect(await again.nth(2).textContent()).toContain('Asked the network team')
    expect(await again.nth(0).getByTestId('step-stamp').textContent()).toMatch(/\d/)
  })

  test('a case is resolved, found by its note, moved to the trash and restored', async () => {
    const page = app.page
    await page.getByTestId('case-edit').click()
    await page.getByTestId('case-ticket-input').fill('INC-4711')
    await page.getByTestId('case-save').click()
    await page.getByTestId('case-toggle-state').click()
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('Resolved')
    await page.getByTestId('case-filter-open').click()
    await page.getByTestId('case-list-empty').waitFor()
    await page.getByTestId('case-filter-resolved').click()
    await expect.poll(() => page.getByTestId('case-item').count()).toBe(1)
    await page.getByTestId('case-filter-all').click()
    await page.getByTestId('case-search').fill('network team')
    await expect.poll(() => page.getByTestId('case-item').count()).toBe(1)
    await page.getByTestId('case-search').fill('')

    await page.getByTestId('case-delete').click()
    await page.getByTestId('case-in-trash').waitFor()
    await expect.poll(() => page.getByTestId('case-item').count()).toBe(0)
    await page.getByTestId('case-filter-trash').click()
    await expect.poll(() => page.getByTestId('case-item').count()).toBe(1)
    await page.getByTestId('case-restore').click()
    await page.getByTestId('case-filter-all').click()
    await expect.poll(() => page.getByTestId('case-item').count()).toBe(1)
    expect(foreignRequests(app)).toEqual([])
  })

  test('the history narrows by code prefix and creation day, and an impossible day changes nothing', async () => {
    const page = app.page
    await page.getByTestId('history-filters-toggle').click()
    const items = page.getByTestId('case-item')
    await page.getByTestId('filter-code').fill('5.1.')
    await expect.poll(() => items.count()).toBe(0)
    await page.getByTestId('filter-code').fill('5.7.7')
    await expect.poll(() => items.count()).toBe(1)
    await page.getByTestId('filter-from').fill('2999-01-01')
    await expect.poll(() => items.count()).toBe(0)
    await page.getByTestId('filter-from').fill('2020-01-01')
    await expect.poll(() => items.count()).toBe(1)
    // A year the field accepts when typed (max is a hint, not a barrier) but a timestamp cannot
    // hold: ignored, no error bar.
    await page.getByTestId('filter-to').fill('20255-01-01')
    expect(await page.getByTestId('filter-to').inputValue()).toBe('20255-01-01')
    await expect.poll(() => items.count()).toBe(1)
    expect(await page.getByTestId('error-bar').count()).toBe(0)
    await page.getByTestId('filter-code').fill('')
    await page.getByTestId('filter-from').fill('')
    await page.getByTestId('filter-to').fill('')
  })

  test('a note or a title longer than the store keeps stops at its limit while typed, and saves', async () => {
    const page = app.page
    const row = page.getByTestId('explained-recipient').first().getByTestId('step-row').nth(3)
    await row.getByTestId('step-note-toggle').click()
    const note = row.getByTestId('step-note')
    await note.fill('n'.repeat(10_050))
    expect((await note.inputValue()).length).toBe(10_000)
    await expect.poll(() => row.textContent()).toContain('10,000 of 10,000 characters')
    await row.getByTestId('step-note-save').click()
    await expect.poll(() => row.getByTestId('step-note').count()).toBe(0)
    expect(await row.textContent()).toContain('n'.repeat(100))
    await page.getByTestId('case-edit').click()
    await page.getByTestId('case-title-input').fill('t'.repeat(250))
    await page.getByTestId('case-save').click()
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).allTextContents())
      .toContain('t'.repeat(200))
    expect(await page.getByTestId('error-bar').count()).toBe(0)
  })
})

describe('reports, end to end', () => {
  test('the case downloads as an HTML report in the language picked, as a file and not a request', async () => {
    const app = await launchApp({ locale: 'en-US' })
    try {
      const page = app.page
      await pasteAndAnalyze(
        page,
        "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found'",
      )
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('report-html').click(),
      ])
      const html = readFileSync(await download.path(), 'utf8')
      expect(download.suggestedFilename()).toMatch(/^case-\d+\.html$/)
      expect(html).toContain('5.1.10')
      expect(html).toContain("default-src 'none'")
      expect(foreignRequests(app)).toEqual([])
    } finally {
      await app.close()
    }
  })
})
