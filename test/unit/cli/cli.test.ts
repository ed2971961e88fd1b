import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, test } from 'vitest'
import { main } from '../../../main/cli/index'
import { FILE_ERROR_CODES, fileErrorReason } from '../../../main/cli/fs-reason'
import { createTranslator } from '../../../main/backend/i18n'
import { LANGUAGES } from '../../../main/core/i18n/languages'
import { createBackend } from '../../../main/backend/backend'
import { REPO_ROOT, tempDir } from '../../support/tmp'

async function runCli(argv: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (d: Buffer) => (out += d.toString()))
  stderr.on('data', (d: Buffer) => (err += d.toString()))
  const saved = { ...process.env }
  Object.assign(process.env, { LANG: 'en_US.UTF-8', LC_ALL: '', NDR_ASSISTANT_LANG: '' }, env)
  try {
    const code = await main(argv, { stdout, stderr })
    return { code, out, err }
  } finally {
    process.env = saved
  }
}

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

describe('ndr-assistant', () => {
  test('--help lists every command', async () => {
    const r = await runCli(['--help'])
    expect(r.code).toBe(0)
    for (const c of ['parse', 'explain', 'audit', 'codes', 'cases', 'serve'])
      expect(r.out).toContain(c)
  })

  test('help follows --lang', async () => {
    const r = await runCli(['--help', '--lang', 'ja'])
    expect(r.out).toContain('使い方')
  })

  test('an unknown command and an unknown language are usage errors, explained in the language asked', async () => {
    const unknown = await runCli(['frobnicate', '--lang=fr'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain('La commande « frobnicate » n’existe pas'.replace('’', "'"))
    const badLang = await runCli(['cases', '--lang', 'de'])
    expect(badLang.code).toBe(2)
    expect(badLang.err).toContain('en, ja, zh-TW, it, fr')
  })

  test('parse translates on demand: nothing for --json output, the language asked for errors and summaries', async () => {
    const tmp = tempDir()
    cleanups.push(tmp.cleanup)
    const file = `${tmp.dir}/bounce.txt`
    const { writeFileSync } = await import('node:fs')
    writeFileSync(file, "Remote Server returned '550 5.7.750 Service unavailable. Client blocked'")
    const json = await runCli(['parse', '--json', file])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.out)).toMatchObject({ recipients: [{ status: '5.7.750' }] })
    const text = await runCli(['parse', file, `${tmp.dir}/missing.eml`, '--lang', 'fr'])
    expect(text.code).toBe(1)
    expect(text.out).toContain('5.7.750')
    expect(text.err).toContain('missing.eml')
    expect(text.err).toMatch(/lu|lire/)
    const usage = await runCli(['parse', '--bogus', '--lang=ja'])
    expect(usage.code).toBe(2)
    expect(usage.err).toContain('--bogus')
  })

  test("a data folder that cannot be opened is explained in words, not with SQLite's English", async () => {
    const tmp = tempDir()
    cleanups.push(tmp.cleanup)
    const { writeFileSync } = await import('node:fs')
    const file = `${tmp.dir}/not-a-folder`
    writeFileSync(file, 'x')
    const inTheWay = await runCli(['cases', '--data-dir', file, '--lang', 'it'])
    expect(inTheWay.code).toBe(1)
    expect(inTheWay.err).toBe(
      `Impossibile aprire la cartella dei dati ${file}: esiste già un file con questo nome; scegli una cartella\n`,
    )
    // /proc takes no files, even from root: the store cannot be created there.
    const readOnly = await runCli(['cases', '--data-dir', '/proc', '--lang', 'fr'])
    expect(readOnly.code).toBe(1)
    expect(readOnly.err).toContain("impossible d'écrire dans ce dossier")
    expect(readOnly.err).not.toMatch(/Storage error|unable to open|EEXIST/)
    for (const lng of LANGUAGES) {
      const t = createTranslator(lng)
      for (const code of ['read-only', 'disk-full', 'io-error', 'busy', 'corrupt', 'EEXIST'])
        expect(t(`errors:startup.openDetail.${code}`), `${lng} ${code}`).not.toMatch(/^errors:/)
    }
  })

  test('a file that cannot be read is explained in words, in the language asked, by every command', async () => {
    const tmp = tempDir()
    cleanups.push(tmp.cleanup)
    const missing = `${tmp.dir}/missing.eml`
    const said: Record<string, string> = {
      en: 'there is no file or folder by that name',
      ja: 'その名前のファイルまたはフォルダーはありません',
      'zh-TW': '沒有這個名稱的檔案或資料夾',
      it: 'non esiste un file o una cartella con questo nome',
      fr: 'aucun fichier ni dossier ne porte ce nom',
    }
    for (const [lng, words] of Object.entries(said)) {
      for (const argv of [
        ['parse', missing],
        ['parse', '--json', missing],
        ['explain', missing],
        ['audit', missing],
        ['audit', `${tmp.dir}`, '--ndr', missing],
      ]) {
        const r = await runCli([...argv, '--lang', lng])
        expect(r.code, `${lng} ${argv.join(' ')}`).not.toBe(0)
        expect(r.err, `${lng} ${argv.join(' ')}`).toContain(words)
        expect(r.err, `${lng} ${argv.join(' ')}`).not.toContain('ENOENT')
      }
    }
    // A folder where a file is expected, and every code the CLI words, in every language.
    const folder = await runCli(['explain', tmp.dir, '--lang', 'it'])
    expect(folder.err).toContain('è una cartella, non un file')
    for (const lng of LANGUAGES) {
      const t = createTranslator(lng)
      for (const code of FILE_ERROR_CODES) {
        const reason = fileErrorReason(t, Object.assign(new Error('x'), { code }))
        expect(reason, `${lng} ${code}`).not.toMatch(/errors:|^E[A-Z]+$/)
        if (lng !== 'en')
          expect(reason, `${lng} ${code}`).not.toBe(
            fileErrorReason(createTranslator('en'), Object.assign(new Error('x'), { code })),
          )
      }
    }
    // Anything else keeps its own code or message.
    const t = createTranslator('fr')
    expect(fileErrorReason(t, Object.assign(new Error('x'), { code: 'EXDEV' }))).toBe('EXDEV')
    expect(fileErrorReason(t, new Error('stream broke'))).toBe('stream broke')
  })

  test('cases --json lists what the app stored, case show prints one', async () => {
    const tmp = tempDir()
    cleanups.push(tmp.cleanup)
    const b = createBackend({ dataDir: tmp.dir, mode: 'browser', version: '1', systemLocales: [] })
    await b.call('cases.analyze', {
      text: "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'",
    })
    b.close()
    const list = await runCli(['cases', '--json', '--data-dir', tmp.dir])
    expect(list.code).toBe(0)
    expect(JSON.parse(list.out.trim())).toMatchObject({ id: 1, status: '5.1.10' })
    const show = await runCli(['case', 'show', '1', '--json', '--data-dir', tmp.dir])
    const shown = JSON.parse(show.out) as { id: number; text: string }
    expect(shown.id).toBe(1)
    expect(shown.text).toContain('RecipientNotFound')
    const missing = await runCli(['case', 'show', '9', '--data-dir', tmp.dir, '--lang', 'it'])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('Nessun caso con numero 9')
    // For people: the state in words and the date as the language writes it, not stored values.
    const created = new Date((JSON.parse(list.out.trim()) as { createdAt: string }).createdAt)
    const frDate = new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeStyle: 'short' })
    const human = await runCli(['cases', '--data-dir', tmp.dir, '--lang', 'fr'])
    expect(human.out).toBe(
      `#1\t5.1.10\tOuvert\t${frDate.format(created)}\tRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'\n`,
    )
    const zh = await runCli(['case', 'show', '1', '--data-dir', tmp.dir, '--lang', 'zh-TW'])
    expect(zh.out).toContain('狀態碼：5.1.10')
    expect(zh.out).toContain('案例狀態：處理中')
    expect(zh.out).toContain('RecipientNotFound')
  })

  test('serve refuses a bad port before opening anything', async () => {
    const r = await runCli(['serve', '--port', '99999'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('65535')
  })
})

describe('started with an old Node', () => {
  // The machines' own Node is 20; the project's Node 22 comes from the `node` devDependency.
  const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
    if (!existsSync(p)) return false
    const v = execFileSync(p, ['-p', 'process.versions.node']).toString().trim()
    return Number(v.split('.')[0]) < 22
  })
  test.runIf(systemNode)('the command says which Node it needs instead of crashing', () => {
    const r = spawnSync(systemNode!, [`${REPO_ROOT}main/cli/bin.cjs`, 'cases'], {
      encoding: 'utf8',
    })
    expect(r.status).toBe(3)
    expect(r.stderr).toMatch(/needs Node\.js 22\.12 or newer; this is Node\.js 2\d\./)
    expect(r.stderr).toContain('npx ndr-assistant cases')
  })
})

describe('output read by a program that stops early', () => {
  // `ndr-assistant cases | head` closes the pipe while the command still writes; it used to die
  // on an unhandled EPIPE with a stack trace. Needs the built bundle (npm test builds first).
  const built = existsSync(`${REPO_ROOT}out/main/cli.js`)
  test.runIf(built)('the command stops quietly when its reader goes away', async () => {
    const child = spawn(process.execPath, [`${REPO_ROOT}main/cli/bin.cjs`, 'codes'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.destroy() // the reader is gone before the first write
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const code = await new Promise<number | null>((res) => child.on('close', res))
    expect(err).toBe('')
    expect(code).toBe(0)
  })
})

describe('a database from a newer version', () => {
  test('is refused by the CLI with a localized sentence, and left untouched', async () => {
    const tmp = tempDir()
    cleanups.push(tmp.cleanup)
    const b = createBackend({ dataDir: tmp.dir, mode: 'browser', version: '1', systemLocales: [] })
    b.db.pragma('user_version = 9990')
    b.close()
    const r = await runCli(['cases', '--data-dir', tmp.dir, '--lang', 'ja'])
    expect(r.code).toBe(1)
    expect(r.err).toContain('新しいバージョンの NDR Assistant')
    expect(r.err).toContain('9990')
  })
})
