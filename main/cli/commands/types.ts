import type { Readable, Writable } from 'node:stream'
import type { TFunction } from 'i18next'
import type { Language } from '../../core/i18n/languages'

/** What every `ndr-assistant <command>` receives; commands never touch `process` directly. */
export interface CliContext {
  readonly stdin: Readable
  readonly stdout: Writable
  readonly stderr: Writable
  /** Language for human-readable output (from --lang, NDR_ASSISTANT_LANG or the OS locale). */
  readonly lang: Language
  /**
   * Translator bound to `lang`; keys are `namespace:key`. Not loaded for the commands that
   * translate on demand (main/cli/index.ts LAZY_I18N): those call `loadT()`.
   */
  readonly t: TFunction
  /** The translator, loaded on first call (the same one as `t` where `t` is loaded). */
  readonly loadT: () => Promise<TFunction>
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
}

/** A command returns its exit code: 0 success, 1 an input could not be read, 2 usage error. */
export type CliCommand = (argv: readonly string[], ctx: CliContext) => Promise<number>
