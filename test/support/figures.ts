// Security and robustness figures for `npm run security` (issue 7). Tests that measure something the
// security table reports call recordFigures(); the file is rewritten on every run, so the table always
// shows the latest run's numbers. Figures are written whatever the outcome: a failing check shows up
// in the table as failing, not as missing.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export interface FigureRow {
  /** What is checked, in a few words ("Billion laughs (CLIXML)"). */
  readonly check: string
  /** The target, as the issue states it ("rejected ≤ 250 ms"). */
  readonly target: string
  /** What this run measured ("rejected in 3.1 ms: notAnExport"). */
  readonly measured: string
  readonly pass: boolean
  /**
   * A known floor outside the app's control (Chromium's own work, say): the row is shown with this
   * explanation as a "limit" instead of failing the table, and only when the app's own row passes.
   */
  readonly limit?: string
}

export const FIGURES_DIR = resolve(import.meta.dirname, '../../test-results/security')

/** Writes test-results/security/<slug>.json: { group, rows }. */
export function recordFigures(slug: string, group: string, rows: readonly FigureRow[]): void {
  mkdirSync(FIGURES_DIR, { recursive: true })
  writeFileSync(
    join(FIGURES_DIR, `${slug}.json`),
    JSON.stringify({ group, rows, at: new Date().toISOString() }, null, 2) + '\n',
  )
}
