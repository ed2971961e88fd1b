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
    expect(foreignRequests(app)).toEqual([])
  })

  test('a paste that is not an export gets a clear error', async () => {
    const page = app.page
    await page.getByTestId('nav-connectors').click()
    await page.getByTestId('connectors-paste').fill('Hello, this is a note and not an export.')
    await page.getByTestId('connectors-import-paste').click()
    const bar = page.getByTestId('connectors-input').first()
    await bar.waitFor()
    expect((await bar.textContent())?.length).toBeGreaterThan(20)
    expect(await page.getByTestId('object-row').count()).toBe(0)
  })
})
