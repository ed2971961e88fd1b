import { readFileSync } from 'node:fs'
import { isLanguage, LANGUAGES, pickLanguage, type Language } from '../core/i18n/languages'
import type { TFunction } from 'i18next'
import { systemLocales } from '../backend/system-locales'
import type { CliCommand, CliContext } from './commands/types'

/**
 * Commands that translate only on demand, through `await ctx.loadT()`: `parse --json` prints no
 * sentence unless an input fails, and five languages of bundled strings cost ~9 MB of memory, which
 * counts against issue 3's cap (twice Sisimai's peak). Every other command gets `ctx.t` ready.
 */
const LAZY_I18N = new Set(['parse'])

/** Commands load lazily so `ndr-assistant parse` never pays for the server or the database. */
const COMMANDS: Readonly<Record<string, () => Promise<{ run: CliCommand }>>> = {
  parse: () => import('./commands/parse'),
  explain: () => import('./commands/explain'),
  audit: () => import('./commands/audit'),
  codes: () => import('./commands/codes'),
  cases: () => import('./commands/cases'),
  case: () => import('./commands/cases'),
  serve: () => import('./commands/serve'),
}

export function appVersion(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version?: string
    }
    return pkg.version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}

/**
 * `--lang L` anywhere on the line wins over NDR_ASSISTANT_LANG and the OS language. The OS language
 * is looked up only when asked for (`lang()`): ICU's locale lookup costs ~11 ms, which `parse --json`
 * need not pay.
 */
function extractLang(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { lang: () => Language; rest: string[]; bad?: string } {
  const rest: string[] = []
  let lang: Language | undefined
  let bad: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const value = a === '--lang' ? argv[++i] : a.startsWith('--lang=') ? a.slice(7) : undefined
    if (a === '--lang' || a.startsWith('--lang=')) {
      if (isLanguage(value)) lang = value
      else bad = value ?? ''
      continue
    }
    rest.push(a)
  }
  const fromEnv = env.NDR_ASSISTANT_LANG
  let resolved = lang ?? (isLanguage(fromEnv) ? fromEnv : undefined)
  const get = (): Language => (resolved ??= pickLanguage(systemLocales(env)))
  return bad === undefined ? { lang: get, rest } : { lang: get, rest, bad }
}

function notLoaded(): never {
  throw new Error('ctx.t is not loaded for this command: use `await ctx.loadT()`')
}

export async function main(argv: readonly string[], io: Partial<CliContext> = {}): Promise<number> {
  const env = process.env
  const { lang, rest, bad } = extractLang(argv, env)
  const [name, ...args] = rest
  let loading: Promise<TFunction> | undefined
  const loadT = (): Promise<TFunction> =>
    (loading ??= import('../backend/i18n').then((m) => m.createTranslator(lang())))
  const t: TFunction =
    name && LAZY_I18N.has(name) && bad === undefined
      ? (notLoaded as unknown as TFunction)
      : await loadT()
  const ctx: CliContext = {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    get lang() {
      return lang()
    },
    t,
    loadT,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? env,
  }
  if (bad !== undefined) {
    ctx.stderr.write(t('common:cli.badLang', { value: bad, list: LANGUAGES.join(', ') }) + '\n')
    return 2
  }
  if (name === '--version' || name === '-v') {
    ctx.stdout.write(appVersion() + '\n')
    return 0
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(t('common:cli.usage', { version: appVersion() }) + '\n')
    return name ? 0 : 2
  }
  const load = COMMANDS[name]
  if (!load) {
    ctx.stderr.write(t('common:cli.unknownCommand', { name }) + '\n')
    return 2
  }
  const { run } = await load()
  return run(args, ctx)
}
