import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  foreignRequests,
  launchApp,
  REPO_ROOT,
  type AppHandle,
  pasteAndAnalyze,
} from './support/app'
import { seriousViolations } from './support/axe'
import { tallScreenshot } from './support/screenshot'

const FIXTURES = join(REPO_ROOT, 'test', 'unit', 'connectors', 'fixtures')

describe('connector exports, end to end', () => {
  let app: AppHandle
  beforeAll(async () => {
    app = await launchApp({ locale: 'en-US' })
  })
  afterAll(async () => {
    await app?.close()
  })

  test('exports dropped on a 5.7.750 case are audited against it, and reopen after a restart', async () => {
    const page = app.page
    await pasteAndAnalyze(page, readFileSync(join(FIXTURES, 'ndr-5.7.750.eml'), 'utf8'))
    await page.getByTestId('tab-connectors').click()
    await page
      .getByTestId('connectors-file')
      .setInputFiles(
        ['inbound.ps7.json.txt', 'accepted.fl.txt', 'outbound.ps51.csv'].map((f) =>
          join(FIXTURES, f),
        ),
      )
    await page.getByTestId('connectors-report').waitFor()
    await expect.poll(() => page.getByTestId('connectors-input').count()).toBe(3)
    expect(await page.getByTestId('finding').count()).toBeGreaterThan(0)
    expect(await page.getByTestId('object-row').count()).toBeGreaterThan(2)
    for (const t of ['InboundConnector', 'OutboundConnector', 'AcceptedDomain']) {
      await page.getByTestId(`table-${t}`).waitFor()
    }
    await tallScreenshot(page, join(REPO_ROOT, 'assets', 'screenshots', 'connectors-en.png'))
    const findings = await page.getByTestId('finding').count()
    // The spreadsheet export: a download, not a request, with formulas neutralized.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('connectors-export-csv').click(),
    ])
    const csv = readFileSync(await download.path(), 'utf8')
    const rows = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r?\n/)
    expect(rows.length).toBe(findings + 1)
    expect(rows.slice(1).every((r) => !/^[=+\-@]/.test(r))).toBe(true)
    expect(await seriousViolations(page)).toEqual([])

    await app.restart()
    await app.page.getByTestId('case-item').first().click()
    await app.page.getByTestId('tab-connectors').click()
    await app.page.getByTestId('connectors-report').waitFor()
    await expect.poll(() => app.page.getByTestId('finding').count()).toBe(findings)

    // Files picked now join the import on screen; a Format-List outbound export replaces the CSV one.
    await app.page.getByTestId('connectors-file').setInputFiles(join(FIXTURES, 'outbound.fl.txt'))
    await app.page.getByTestId('connectors-replaced').waitFor()
    expect(await app.page.getByTestId('connectors-replaced').textContent()).toBe(
      'The new export replaces: outbound.ps51.csv.',
    )
    expect(await app.page.getByTestId('connectors-input').allTextContents()).toEqual([
      expect.stringContaining('inbound.ps7.json.txt'),
      expect.stringContaining('accepted.fl.txt'),
      expect.stringContaining('outbound.fl.txt'),
    ])
    expect(foreignRequests(app)).toEqual([])
  })

  test('a paste that is not an export gets a clear error', async () => {
    const page = app.page
    await page.getByTestId('nav-connectors').click()
    // No case here, so no "this bounce" to check against: the intro says where that happens.
    expect(await page.getByTestId('connectors').textContent()).toContain(
      'import them from the Connectors tab of its case',
    )
    await page.getByTestId('connectors-paste').fill('Hello, this is a note and not an export.')
    await page.getByTestId('connectors-import-paste').click()
    const bar = page.getByTestId('connectors-input').first()
    await bar.waitFor()
    expect((await bar.textContent())?.length).toBeGreaterThan(20)
    expect(await page.getByTestId('object-row').count()).toBe(0)
  })
})

describe('adding an export to an import, in French', () => {
  let app: AppHandle
  beforeAll(async () => {
    app = await launchApp({ locale: 'fr-FR' })
  })
  afterAll(async () => {
    await app?.close()
  })

  test('the accepted domains pasted after the connectors join them: X2 gives way to N1, the first import stays', async () => {
    const page = app.page
    await pasteAndAnalyze(page, readFileSync(join(FIXTURES, 'ndr-5.7.750.eml'), 'utf8'))
    await page.getByTestId('tab-connectors').click()
    const paste = async (file: string, button: string) => {
      await page.getByTestId('connectors-paste').fill(readFileSync(join(FIXTURES, file), 'utf8'))
      await page.getByTestId(button).click()
    }
    // No import yet: one button, which starts one.
    expect(await page.getByTestId('connectors-add-paste').count()).toBe(0)
    await paste('inbound.fl.txt', 'connectors-import-paste')
    await page.getByTestId('connectors-report').waitFor()
    const rules = () =>
      page
        .getByTestId('finding')
        .getByText(/^[INODX]\d+$/)
        .allTextContents()
    await expect.poll(rules).toContain('X2')
    expect(await rules()).not.toContain('N1')

    await paste('accepted.ps7.json.txt', 'connectors-add-paste')
    await expect.poll(rules).toContain('N1')
    expect(await rules()).not.toContain('X2')
    expect(await rules()).toEqual(expect.arrayContaining(['I4', 'I9', 'I12']))
    await expect.poll(() => page.getByTestId('connectors-input').count()).toBe(2)
    await page.getByTestId('table-InboundConnector').waitFor()
    await page.getByTestId('table-AcceptedDomain').waitFor()
    const n1 = page.getByTestId('finding').filter({ hasText: 'N1' })
    expect(await n1.textContent()).toContain('contoso-invoices.net')
    expect(await page.getByTestId('connectors-paste').inputValue()).toBe('')

    // A fresh export of the same kind replaces the earlier one, and says so.
    await paste('inbound.ps7.json.txt', 'connectors-add-paste')
    const replaced = page.getByTestId('connectors-replaced')
    await replaced.waitFor()
    expect(await replaced.textContent()).toBe('Le nouvel export remplace : Export collé.')
    // Three imports now, newest first; the first one still opens as it was, after a restart too.
    await app.restart()
    await app.page.getByTestId('case-item').first().click()
    await app.page.getByTestId('tab-connectors').click()
    await app.page.getByTestId('connectors-report').waitFor()
    await app.page.getByRole('combobox', { name: 'Import :' }).click()
    const options = app.page.getByRole('option')
    expect(await options.count()).toBe(3)
    await options.last().click()
    await expect.poll(() => app.page.getByTestId('connectors-input').count()).toBe(1)
    await expect
      .poll(() =>
        app.page
          .getByTestId('finding')
          .getByText(/^[INODX]\d+$/)
          .allTextContents(),
      )
      .toContain('X2')

    // That first import is deleted (after a confirmation); the newest one is shown, two are left.
    await app.page.getByTestId('connectors-delete').click()
    await app.page.getByTestId('connectors-delete-confirm').waitFor()
    expect(await seriousViolations(app.page)).toEqual([])
    await app.page.getByTestId('connectors-delete-yes').click()
    await expect.poll(() => app.page.getByTestId('connectors-input').count()).toBe(2)
    await app.page.getByRole('combobox', { name: 'Import :' }).click()
    expect(await app.page.getByRole('option').count()).toBe(2)
    await app.page.keyboard.press('Escape')
    expect(await app.page.getByTestId('error-bar').count()).toBe(0)
    expect(foreignRequests(app)).toEqual([])
  })
})
