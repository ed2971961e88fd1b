// Hostile API arguments shared by the HTTP and IPC transport tests (issue 7): wrong types, extra keys,
// prototype pollution attempts, a 10 MB string, path traversal. None is a valid call of any method.
import type { Backend } from '../../main/backend/backend'

export const HOSTILE_PAYLOADS: readonly unknown[] = [
  null,
  42,
  'text',
  [],
  [1, 2, 3],
  { id: '1' },
  { id: -1 },
  { id: 1.5 },
  { id: Number.MAX_SAFE_INTEGER + 2 },
  { unexpected: true },
  JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
  { text: 'x'.repeat(10 * 1024 * 1024), fileName: 'big.txt', extra: 1 },
  { language: 'xx' },
  { path: '../../../etc/passwd', extra: true },
  { inputs: [{ name: '', text: 1 }] },
]

/** Rows per table: a hostile call must not change any of them. */
export function countRows(backend: Backend): number[] {
  return ['cases', 'case_steps', 'connector_imports', 'settings'].map(
    (t) => (backend.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
  )
}
