// `ndr-assistant parse` called through run() with a fake context (the lead's dispatcher wires it).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import i18next from 'i18next'
import { describe, expect, test } from 'vitest'
import { run } from '../../../main/cli/commands/parse'
import type { CliContext } from '../../../main/cli/commands/types'
import { RESOURCES } from '../../../main/core/i18n/resources'
import { CORPUS } from './corpus'

async function ctxFor(
  lang: 'en' | 'ja',
  stdinText = '',
): Promise<{ ctx: CliContext; out: () => string; err: () => string }> {
  const inst = i18next.createInstance()
  await inst.init({
    resources: RESOURCES as never,
    lng: lang,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  })
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let o = ''
  let e = ''
  stdout.on('data', (d: Buffer) => (o += d.toString('utf8')))
  stderr.on('data', (d: Buffer) => (e += d.toString('utf8')))
  const ctx: CliContext = {
    stdin: Readable.from([Buffer.from(stdinText)]),
    stdout,
    stderr,
    lang,
    t: inst.t,
    loadT: () => Promise.resolve(inst.t),
    cwd: CORPUS,
    env: {},
  }
  return { ctx, out: () => o, err: () => e }
}

interface Line {
  file: string
  index: number
  kind: string
  recipients: Array<{ address: string | null; status: string | null; replyCode: string | null }>
}

describe('ndr-assistant parse', () => {
  test('--json prints one line per message with the documented keys', async () => {
    const { ctx, out } = await ctxFor('en')
    const code = await run(
      ['microsoft/lhost-office365-13.eml', 'other/lhost-postfix-13.eml', '--json'],
      ctx,
    )
    expect(code).toBe(0)
    const lines = out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line & Record<string, unknown>)
    expect(lines).toHaveLength(2)
    for (const k of [
      'file',
      'index',
      'kind',
      'system',
      'language',
      'category',
      'sender',
      'senderDomain',
      'recipients',
      'warnings',
    ])
      expect(lines[0]).toHaveProperty(k)
    expect(lines[0]!.recipients[0]).toMatchObject({ status: '5.1.10', replyCode: '550' })
    for (const k of ['address', 'status', 'replyCode', 'action', 'diagnostic', 'remoteMta'])
      expect(lines[0]!.recipients[0]).toHaveProperty(k)
    expect(lines[1]!.recipients.map((r) => r.status)).toEqual(['5.2.1', '5.2.2'])
  })

  test('an mbox yields one line per message, streamed; a folder is read file by file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndr-parse-'))
    const { readFileSync } = await import('node:fs')
    const a = readFileSync(join(CORPUS, 'microsoft/lhost-office365-13.eml'), 'latin1')
    const b = readFileSync(join(CORPUS, 'other/lhost-qmail-02.eml'), 'latin1')
    const mbox = ['From MAILER-DAEMON x', a, '', 'From MAILER-DAEMON x', b, ''].join('\n').repeat(3)
    writeFileSync(join(dir, 'box.mbox'), mbox, 'latin1')
    const { ctx, out } = await ctxFor('en')
    expect(await run([join(dir, 'box.mbox'), '--json'], ctx)).toBe(0)
    const lines = out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line)
    expect(lines.map((l) => l.index)).toEqual([0, 1, 2, 3, 4, 5])
    expect(lines[1]!.recipients.map((r) => r.status)).toEqual(['5.1.1', '5.2.1'])
    const folder = await ctxFor('en')
    expect(await run(['other', '--json'], folder.ctx)).toBe(0)
    expect(folder.out().trim().split('\n')).toHaveLength(20)
  })

  test('- reads standard input; a paste works', async () => {
    const { ctx, out } = await ctxFor('en', "Remote Server returned '550 5.7.750 Client blocked'")
    expect(await run(['-', '--json'], ctx)).toBe(0)
    const line = JSON.parse(out().trim()) as Line
    expect(line.file).toBe('-')
    expect(line.recipients[0]!.status).toBe('5.7.750')
  })

  test('exit 1 with a localized reason when an input cannot be read; summary is localized', async () => {
    const { ctx, out, err } = await ctxFor('ja')
    expect(await run(['nope.eml', 'microsoft/lhost-office365-13.eml'], ctx)).toBe(1)
    expect(err()).toContain('nope.eml')
    expect(err()).toContain('読み取れませんでした')
    expect(out()).toContain('配信不能レポート')
    expect(out()).toContain('5.1.10')
  })

  test('unknown options are a usage error (exit 2)', async () => {
    const { ctx, err } = await ctxFor('en')
    expect(await run(['--bogus'], ctx)).toBe(2)
    expect(err()).toContain('--bogus')
  })
})
