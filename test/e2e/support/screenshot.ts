import type { Page } from 'playwright-core'

/**
 * The app lays out in the window and scrolls its main pane, so a "full page" capture would stop at
 * the window's height: grow the window instead, capture, and put it back.
 */
export async function tallScreenshot(page: Page, path: string, height = 1500): Promise<void> {
  const before = page.viewportSize() ?? { width: 1280, height: 800 }
  await page.setViewportSize({ width: before.width, height })
  await page.screenshot({ path })
  await page.setViewportSize(before)
}
