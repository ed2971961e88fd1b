// The parallel `ndr-assistant parse` (worker threads) prints exactly what the sequential one prints,
// and the streaming splitter cuts an mbox the same way whatever the chunk sizes (issue 3, "Speed").
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import i18next from 'i18next'
import { build } from 'rolldown'
import { describe, expect, test } from 'vitest'
import { run } from '../../../main/cli/commands/parse'
import type { CliContext } from '../../../main/cli/commands/types'
import { RESOURCES } from '../../../main/core/i18n/resources'
import { MboxSplitter } from '../../../main/core/parse/index'
import { corpusFiles, readCorpus } from './corpus'

const WORKER_SRC = fileURLToPath(new URL('../../../main/cli/parse-cli-worker.ts', import.meta.url))

async function runCli(
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  const inst = i18next.createInstance()
  await inst.init({
    resources: RESOURCES as never,
    lng: 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  })
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const o: Buffer[] = []
  let e = ''
  stdout.on('data', (d: Buffer) => o.push(d))
  stderr.on('data', (d: Buffer) => (e += d.toString('utf8')))
  const ctx: CliContext = {
    stdin: Readable.from([]),
    stdout,
    stderr,
    lang: 'en',
    t: inst.t,
    loadT: () => Promise.resolve(inst.t),
    cwd: tmpdir(),
    env,
  }
  const code = await run(argv, ctx)
  return { code, out: Buffer.concat(o).toString('utf8'), err: e }
}

/** An mbox of every corpus sample (as make-mbox.sh writes them), repeated past the worker threshold. */
function corpusMbox(dir: string): { file: string; messages: number } {
  const files = [...corpusFiles('microsoft'), ...corpusFiles('other')]
  const one = files.map((f) => {
    const text = Buffer.from(readCorpus(f))
      .toString('latin1')
      .replace(/\r/g, '')
      .replace(/^From .*\n/, '')
      .replace(/^(>*From )/gm, '>$1')
    return `From MAILER-DAEMON Thu Jan  1 00:00:00 2025\n${text}\n`
  })
  let mbox = ''
  let messages = 0
  while (mbox.length < 3 * 1024 * 1024) {
    mbox += one.join('')
    messages += one.length
  }
  const file = join(dir, 'corpus.mbox')
  writeFileSync(file, mbox, 'latin1')
  return { file, messages }
}

describe('parallel parse', () => {
  test('worker threads print the same lines, in the same order, as the sequential parser', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndr-par-'))
    // Bundle the worker as electron-vite does, plus a marker proving that workers really ran.
    const marker = join(dir, 'worker-ran')
    const entry = join(dir, 'entry.ts')
    writeFileSync(
      entry,
      `import ${JSON.stringify(WORKER_SRC)}\nimport { writeFileSync } from 'node:fs'\nwriteFileSync(${JSON.stringify(marker)}, 'yes')\n`,
    )
    const workerFile = join(dir, 'parse-cli-worker.mjs')
    await build({
      input: entry,
      platform: 'node',
      logLevel: 'silent',
      output: { file: workerFile, format: 'esm' },
    })
    const { file, messages } = corpusMbox(dir)
    const seq = await runCli(['--json', file], { NDR_PARSE_WORKERS: '0' })
    expect(existsSync(marker)).toBe(false)
    const par = await runCli(['--json', file], {
      NDR_PARSE_WORKERS: '2',
      NDR_PARSE_CLI_WORKER: workerFile,
    })
    expect(readFileSync(marker, 'utf8')).toBe('yes')
    expect(seq.code).toBe(0)
    expect(par.code).toBe(0)
    const lines = seq.out.trimEnd().split('\n')
    expect(lines.length).toBeGreaterThanOrEqual(messages)
    expect((JSON.parse(lines.at(-1)!) as { index: number }).index).toBe(lines.length - 1)
    expect(par.out).toBe(seq.out)
    expect(par.err).toBe(seq.err)
  })

  test('a missing worker bundle falls back to parsing in-process, same output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndr-par-'))
    const { file } = corpusMbox(dir)
    const seq = await runCli(['--json', file], { NDR_PARSE_WORKERS: '0' })
    const par = await runCli(['--json', file], {
      NDR_PARSE_WORKERS: '2',
      NDR_PARSE_CLI_WORKER: join(dir, 'no-such-worker.mjs'),
    })
    expect(par.code).toBe(0)
    expect(par.out).toBe(seq.out)
  })

  test('MboxSplitter: any chunking gives the same messages as one push', () => {
    const sample = new TextEncoder().encode(
      'From a\nX: 1\n\nFrom b in body\n\nFrom c\r\nY\r\n\r\nFrom d\n\n\nFrom e\nZ\n',
    )
    const cut = (bytes: Uint8Array, sizes: number[]): string[] => {
      const sp = new MboxSplitter()
      const got: string[] = []
      const take = (items: ReturnType<MboxSplitter['push']>): void => {
        for (const it of items) got.push(it.ok ? new TextDecoder().decode(it.message) : '!')
      }
      let i = 0
      let k = 0
      while (i < bytes.length) {
        const n = sizes[k++ % sizes.length]!
        take(sp.push(bytes.slice(i, i + n)))
        i += n
      }
      take(sp.end())
      return got
    }
    const whole = cut(sample, [sample.length])
    expect(whole).toEqual([
      'From a\nX: 1\n\n',
      'From b in body\n\n',
      'From c\r\nY\r\n\r\n',
      'From d\n\n\n',
      'From e\nZ\n',
    ])
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('From x\n', '\n', '\r\n', 'From ', 'a', 'Fro', 'm '), {
          maxLength: 40,
        }),
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 8 }),
        (pieces, sizes) => {
          const bytes = new TextEncoder().encode('From 0\n' + pieces.join(''))
          expect(cut(bytes, sizes)).toEqual(cut(bytes, [bytes.length]))
        },
      ),
      { numRuns: 2000 },
    )
  })
})
