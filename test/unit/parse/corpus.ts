// Shared helpers for the parse tests: where the corpus is, and how it is scored.
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { BounceResult } from '../../../main/core/parse/types'

export const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url))

export interface ExpectedRow {
  readonly status: string
  readonly replycode: string
  readonly reason: string
  readonly invented_by_sisimai: boolean
}

export function expected(): Record<string, ExpectedRow[]> {
  return JSON.parse(readFileSync(CORPUS + 'expected.json', 'utf8')) as Record<string, ExpectedRow[]>
}

export function corpusFiles(folder: 'microsoft' | 'other'): string[] {
  return readdirSync(CORPUS + folder)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => `${folder}/${f}`)
}

export function readCorpus(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(CORPUS + rel))
}

/** Every status the engine reports for a message: primary first, then the other codes seen. */
export function statusesOf(results: readonly BounceResult[]): { primary: string[]; all: string[] } {
  const primary: string[] = []
  const all: string[] = []
  for (const r of results)
    for (const rc of r.recipients) {
      if (rc.status) primary.push(rc.status)
      all.push(...(rc.status ? [rc.status] : []), ...rc.otherStatuses)
    }
  return { primary, all }
}
