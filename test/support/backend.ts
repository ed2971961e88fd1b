import { onTestFinished } from 'vitest'
import { createBackend, type Backend, type BackendOptions } from '../../main/backend/backend'
import { tempDir } from './tmp'

/** Unwraps an API envelope in tests, failing with the typed error when the call was refused. */
export async function ok<T>(
  p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>,
): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.value as T
}

/**
 * A real backend on a fresh temp data folder, closed and removed when the test ends; given `dir`,
 * a backend reopening that folder (a restart), closed when the test ends.
 */
export function openTestBackend(
  extra: Partial<BackendOptions> = {},
  dir?: string,
): {
  backend: Backend
  dir: string
} {
  const t = dir ? { dir, cleanup: () => undefined } : tempDir()
  const backend = createBackend({
    dataDir: t.dir,
    mode: 'browser',
    version: '1',
    systemLocales: [],
    osUserName: 'anna',
    ...extra,
  })
  onTestFinished(() => {
    backend.close()
    t.cleanup()
  })
  return { backend, dir: t.dir }
}
