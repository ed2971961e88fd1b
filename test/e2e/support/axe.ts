import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

/**
 * axe-core in the page; only serious and critical violations fail the view. Fluent UI's focus
 * manager (Tabster) adds invisible, aria-hidden focus guards on purpose; they are left out.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern: the app's own
  // policy stays as strict as shipped.
  const result = await page.evaluate(`${axeSource}
    ;axe.run({ exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] }).then((r) =>
      r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)
  return result as string[]
}
