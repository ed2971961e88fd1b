import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh temp folder per test, removed afterwards. */
export function tempDir(prefix = 'ndr-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export const REPO_ROOT = new URL('../../', import.meta.url).pathname
/** ../shared beside the repository, as on our machines and in CI. */
export const SHARED_DIR = join(REPO_ROOT, '..', 'shared')
