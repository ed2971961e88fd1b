import { readFileSync } from 'node:fs'
import { decodeExportBytes, importExports } from '../../../main/core/connectors'
import type { ImportResult, TenantObject } from '../../../main/core/connectors'

export function fixture(name: string): string {
  return decodeExportBytes(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)))
}

export function importFixtures(...names: string[]): ImportResult {
  return importExports(names.map((name) => ({ name, text: fixture(name) })))
}

/** Imports JSON objects as a PowerShell 7 `ConvertTo-Json` export would carry them. */
export function importJson(...records: Record<string, unknown>[]): ImportResult {
  return importExports([{ name: 'test.json', text: JSON.stringify(records) }])
}

export function byName(list: readonly TenantObject[], name: string): TenantObject {
  const o = list.find((x) => x.identity === name)
  if (!o) throw new Error(`no object ${name} in ${list.map((x) => x.identity).join(', ')}`)
  return o
}

/** "Now" for the fixtures: a week after the attacker connector of brief §3.7 appeared. */
export const NOW = Date.parse('2026-05-20T00:00:00Z')
