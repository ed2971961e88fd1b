import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Finds a sibling of the bundled out/main folder (a file in it, or out/renderer) from a module that
 * the bundler may have placed in out/main or in out/main/chunks. Undefined in an unbuilt tree.
 */
export function findBuilt(rel: string, from: string): string | undefined {
  for (const prefix of ['./', '../', '../../']) {
    const p = fileURLToPath(new URL(prefix + rel, from))
    if (existsSync(p)) return p
  }
  return undefined
}
