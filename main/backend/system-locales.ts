// Kept apart from i18n.ts so that finding the language costs no i18next load (the CLI's `parse
// --json` never translates unless something fails).

/** The OS locales, most preferred first, as Node sees them (LANG/LC_* on Linux, ICU elsewhere). */
export function systemLocales(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  const fromEnv = [env.LC_ALL, env.LC_MESSAGES, env.LANG, env.LANGUAGE?.split(':')[0]].filter(
    (v): v is string => !!v && v !== 'C' && v !== 'POSIX' && !v.startsWith('C.'),
  )
  return [...fromEnv, Intl.DateTimeFormat().resolvedOptions().locale]
}
