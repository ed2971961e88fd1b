import { closeSync, existsSync, openSync, readdirSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchApp, type AppHandle, pasteAndAnalyze } from './support/app'

describe('a damaged store, end to end', () => {
  let app: AppHandle
  beforeAll(async () => {
    app = await launchApp({ locale: 'en-US' })
  })
  afterAll(async () => {
    await app?.close()
  })

  test('quitting takes a verified backup; a damaged store is set aside and the backup restored, and the user is told', async () => {
    await pasteAndAnalyze(
      app.page,
      '550 5.7.750 Client blocked from sending from unregistered domains',
    )

    await app.restart(() => {
      const backups = join(app.dataDir, 'backups')
      expect(existsSync(backups) && readdirSync(backups).some((f) => f.endsWith('.sqlite3'))).toBe(
        true,
      )
      // Damage the store the way a failing disk does: garbage over its pages.
      const file = join(app.dataDir, 'ndr-assistant.sqlite3')
      const fd = openSync(file, 'r+')
      const garbage = Buffer.alloc(4096, 0xa5)
      for (let at = 0; at < statSync(file).size; at += 8192)
        writeSync(fd, garbage, 0, garbage.length, at)
      closeSync(fd)
    })

    await app.page.getByTestId('recovery-notice').waitFor()
    expect(await app.page.getByTestId('recovery-notice').textContent()).toMatch(
      /backup of .+ was restored/,
    )
    await expect.poll(() => app.page.getByTestId('case-item').count()).toBe(1)
    expect(readdirSync(app.dataDir).some((f) => f.startsWith('corrupt-'))).toBe(true)
  })
})
