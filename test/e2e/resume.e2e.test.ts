import { describe, expect, test } from 'vitest'
import { launchApp } from './support/app'

describe('resuming work, end to end', () => {
  test('keyboard only: Ctrl+Enter analyzes; after a restart the same case opens on the same tab', async () => {
    const app = await launchApp({ locale: 'en-US' })
    try {
      let page = app.page
      await page
        .getByTestId('paste-area')
        .fill('550 5.7.705 Access denied, tenant has exceeded threshold')
      await page.getByTestId('paste-area').press('Control+Enter')
      await page.getByTestId('case-view').waitFor()
      await page.getByTestId('tab-details').click()
      await page.getByTestId('case-source').waitFor()
      await page.keyboard.press('Control+k')
      await expect
        .poll(() => page.evaluate("document.activeElement?.getAttribute('data-testid')"))
        .toBe('case-search')

      await app.restart()
      page = app.page
      await page.getByTestId('case-source').waitFor()
      expect(await page.getByTestId('tab-details').getAttribute('aria-selected')).toBe('true')
      await expect(page.getByTestId('case-status').textContent()).resolves.toBe('5.7.705')
    } finally {
      await app.close()
    }
  })
})
