import { describe, expect, test } from 'vitest'
import { foreignRequests, launchApp, pasteAndExplain } from './support/app'

describe('moving to another workstation, end to end', () => {
  test('all data exported from one app imports into another with its checklist', async () => {
    const first = await launchApp({ locale: 'fr-FR' })
    let path = ''
    try {
      const page = first.page
      const card = await pasteAndExplain(
        page,
        '550 5.7.750 Client blocked from sending from unregistered domains',
      )
      await card.getByTestId('step').first().click()
      await expect
        .poll(() => card.getByTestId('step-row').first().getAttribute('data-state'))
        .toBe('done')
      await page.getByTestId('nav-data').click()
      await page.getByTestId('data-export').click()
      const text = (await page.getByTestId('data-exported').textContent()) ?? ''
      path = text.split(/\s/).find((w) => w.startsWith('/') && w.endsWith('.sqlite3')) ?? ''
      expect(path).toMatch(/exports\/ndr-assistant-export-.+\.sqlite3$/)
      expect(foreignRequests(first)).toEqual([])

      const second = await launchApp({ locale: 'it-IT' })
      try {
        const p2 = second.page
        await p2.getByTestId('nav-data').click()
        // A wrong path is named as such (it used to read "This case no longer exists").
        await p2.getByTestId('data-import-path').fill(`${path}.missing`)
        await p2.getByTestId('data-import').click()
        await expect
          .poll(() => p2.getByTestId('error-bar').textContent())
          .toContain(`Nessun file in ${path}.missing`)
        await p2.getByTestId('data-import-path').fill(path)
        await p2.getByTestId('data-import').click()
        await expect.poll(() => p2.getByTestId('data-imported').textContent()).toContain('1')
        await expect.poll(() => p2.getByTestId('case-item').count()).toBe(1)
        await p2.getByTestId('case-item').first().click()
        const row = p2.getByTestId('explained-recipient').first().getByTestId('step-row').first()
        await expect.poll(() => row.getAttribute('data-state')).toBe('done')
        expect(foreignRequests(second)).toEqual([])
      } finally {
        await second.close()
      }
    } finally {
      await first.close()
    }
  })
})
