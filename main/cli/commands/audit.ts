// Placeholder while the audit command is being written; replaced before landing.
import type { CliCommand } from './types'
export const run: CliCommand = (_argv, ctx) => {
  ctx.stderr.write('not yet available\n')
  return Promise.resolve(1)
}
