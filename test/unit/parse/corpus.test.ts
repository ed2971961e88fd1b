// Accuracy over the real samples in ../shared/corpus (issue 3): at least 98% of the expected statuses
// found, per folder. Rows sisimai invented (5.9.xxx) are excluded; look-alikes must be not-ndr.
import { describe, expect, test } from 'vitest'
import { parseBounce } from '../../../main/core/parse/index'
import type { BounceResult } from '../../../main/core/parse/types'
import { corpusFiles, expected, readCorpus, statusesOf } from './corpus'

function parseAll(rel: string): readonly BounceResult[] {
  const out = parseBounce(readCorpus(rel), { fileName: rel })
  expect(out.ok, rel).toBe(true)
  return out.ok ? out.messages : []
}

function score(folder: 'microsoft' | 'other'): {
  found: number
  primary: number
  total: number
  misses: string[]
} {
  const exp = expected()
  let found = 0
  let primary = 0
  let total = 0
  const misses: string[] = []
  for (const rel of corpusFiles(folder)) {
    const rows = (exp[rel] ?? []).filter((r) => !r.invented_by_sisimai && r.status !== '')
    if (rows.length === 0) continue
    const got = statusesOf(parseAll(rel))
    const pool = [...got.all]
    const prim = [...got.primary]
    for (const row of rows) {
      total++
      const i = pool.indexOf(row.status)
      if (i >= 0) {
        found++
        pool.splice(i, 1)
      } else misses.push(`${rel}: expected ${row.status}, got ${got.all.join(',') || 'nothing'}`)
      const j = prim.indexOf(row.status)
      if (j >= 0) {
        primary++
        prim.splice(j, 1)
      }
    }
  }
  return { found, primary, total, misses }
}

describe('corpus accuracy', () => {
  for (const folder of ['microsoft', 'other'] as const) {
    test(`${folder}/: at least 98% of expected statuses found`, () => {
      const s = score(folder)
      const pct = (100 * s.found) / s.total
      console.log(
        `[corpus] ${folder}/: ${s.found}/${s.total} expected statuses found (${pct.toFixed(1)}%); ` +
          `as the primary status: ${s.primary}/${s.total} (${((100 * s.primary) / s.total).toFixed(1)}%)`,
      )
      if (s.misses.length) console.log(s.misses.join('\n'))
      expect(s.total).toBeGreaterThan(15)
      expect(pct).toBeGreaterThanOrEqual(98)
    })
  }

  test('rows without an expected status produce no invented status', () => {
    const exp = expected()
    for (const [rel, rows] of Object.entries(exp)) {
      if (!rows.every((r) => r.status === '' || r.invented_by_sisimai)) continue
      const got = statusesOf(parseAll(rel))
      expect(got.all, rel).toEqual([])
    }
  })

  test('Hotmail complaints (arf-*) and Exchange auto-replies (rfc3834-*) are not-ndr', () => {
    for (const rel of corpusFiles('microsoft')) {
      const base = rel.split('/')[1]!
      if (!base.startsWith('arf-') && !base.startsWith('rfc3834-')) continue
      const [r] = parseAll(rel)
      expect(r?.kind, rel).toBe('not-ndr')
      expect(r?.notNdrReason, rel).toBe(base.startsWith('arf-') ? 'spam-complaint' : 'auto-reply')
      expect(r?.recipients, rel).toEqual([])
    }
  })

  test('every bounce with an expected status is an ndr or a delay with a recipient address', () => {
    const exp = expected()
    for (const folder of ['microsoft', 'other'] as const)
      for (const rel of corpusFiles(folder)) {
        const rows = exp[rel] ?? []
        if (!rows.some((r) => r.status !== '')) continue
        const [r] = parseAll(rel)
        expect(['ndr', 'delay'], rel).toContain(r?.kind)
        expect(r?.recipients[0]?.address, rel).toMatch(/@/)
      }
  })

  test('reply codes match the expected rows where the message states one', () => {
    const exp = expected()
    let match = 0
    let total = 0
    for (const folder of ['microsoft', 'other'] as const)
      for (const rel of corpusFiles(folder)) {
        const rows = (exp[rel] ?? []).filter((r) => r.replycode !== '' && !r.invented_by_sisimai)
        if (rows.length === 0) continue
        const codes = parseAll(rel).flatMap((m) => m.recipients.map((rc) => rc.replyCode))
        for (const row of rows) {
          total++
          if (codes.includes(row.replycode)) match++
        }
      }
    console.log(`[corpus] reply codes: ${match}/${total}`)
    expect(match / total).toBeGreaterThanOrEqual(0.9)
  })

  test('CRLF, LF and old-Mac CR line endings parse the same', () => {
    for (const folder of ['microsoft', 'other'] as const)
      for (const rel of corpusFiles(folder)) {
        const raw = new TextDecoder('latin1').decode(readCorpus(rel)).replace(/\r\n?/g, '\n')
        const variants = [raw, raw.replace(/\n/g, '\r\n'), raw.replace(/\n/g, '\r')].map((s) =>
          Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff),
        )
        const results = variants.map((v) => {
          const o = parseBounce(v)
          return o.ok
            ? o.messages.map((m) => [
                m.kind,
                m.recipients.map((r) => [r.address, r.status, r.replyCode]),
              ])
            : o.error.code
        })
        expect(results[1], rel).toEqual(results[0])
        expect(results[2], rel).toEqual(results[0])
      }
  })
})
