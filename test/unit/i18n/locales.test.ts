import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { API_ERROR_CODES, STORAGE_CODES } from '../../../main/core/api/contract'
import { LANGUAGES } from '../../../main/core/i18n/languages'
import { NAMESPACES, RESOURCES } from '../../../main/core/i18n/resources'
import { createTranslator } from '../../../main/backend/i18n'
import { REPO_ROOT } from '../../support/tmp'

type Tree = { [k: string]: string | Tree }

function flatten(o: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(prefix + k, v)
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv)
  }
  return out
}

const LOCALES = join(REPO_ROOT, 'locales')
const flat = (lng: string, ns: string) =>
  flatten(JSON.parse(readFileSync(join(LOCALES, lng, `${ns}.json`), 'utf8')) as Tree)
const PLURAL = /_(zero|one|two|few|many|other)$/
const pluralBase = (k: string) => k.replace(PLURAL, '')
/** Every plural form the five languages use (CLDR: en one/other, fr and it one/many/other, ja and zh-TW other). */
const PLURAL_FORMS = new Set(
  LANGUAGES.flatMap((l) => new Intl.PluralRules(l).resolvedOptions().pluralCategories),
)
const placeholders = (s: string) =>
  [...s.matchAll(/\{\{\s*([\w.]+)(?:[^\w.}][^}]*)?\}\}/g)].map((m) => m[1]).sort()

/**
 * A translation may equal the English text only when it is made of names and codes that every
 * language writes the same way ("Exchange Online (Microsoft 365)", "OK", "SPF", a cmdlet) or is a
 * one-word label the language shares ("File" in Italian). Any text with an ordinary lowercase word
 * of three letters or more ("Select all", every sentence) must be translated.
 */
function mayEqualEnglish(value: string): boolean {
  const words = value
    .replace(/\{\{[^{}]*\}\}/g, ' ')
    .trim()
    .split(/[\s/()·,:;]+/)
    .filter(Boolean)
  if (words.length <= 1) return true
  return !words.some((w) => /^[a-z][a-z'’-]{2,}$/.test(w))
}

describe('locales', () => {
  test('every language has exactly the namespace files English has, and resources.ts bundles them all', () => {
    const en = readdirSync(join(LOCALES, 'en'))
      .filter((f) => f.endsWith('.json'))
      .sort()
    expect(en.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...NAMESPACES].sort())
    for (const lng of LANGUAGES) {
      expect(
        readdirSync(join(LOCALES, lng))
          .filter((f) => f.endsWith('.json'))
          .sort(),
        lng,
      ).toEqual(en)
      for (const ns of NAMESPACES) {
        expect(RESOURCES[lng][ns], `${lng}/${ns}`).toEqual(
          JSON.parse(readFileSync(join(LOCALES, lng, `${ns}.json`), 'utf8')),
        )
      }
    }
  })

  for (const ns of NAMESPACES) {
    for (const lng of LANGUAGES.filter((l) => l !== 'en')) {
      test(`${lng}/${ns}.json: no key missing, extra or empty; same placeholders; translated`, () => {
        const en = flat('en', ns)
        const other = flat(lng, ns)
        // The same keys in every language, plural families included: each has the forms any of
        // the five languages uses (one, many, other), so key-parity checks need no exception; a
        // form a language's own rules never pick holds its "other" text.
        expect(
          [...en.keys()].filter((k) => !other.has(k)),
          'missing keys',
        ).toEqual([])
        expect(
          [...other.keys()].filter((k) => !en.has(k)),
          'extra keys',
        ).toEqual([])
        for (const base of new Set(
          [...en.keys()].filter((k) => k !== pluralBase(k)).map(pluralBase),
        )) {
          const forms = [...other.keys()]
            .filter((k) => pluralBase(k) === base && k !== base)
            .map((k) => k.slice(base.length + 1))
          expect(forms.sort(), `plural forms of ${base}`).toEqual([...PLURAL_FORMS].sort())
        }
        const empty = [...other].filter(([, v]) => v.trim() === '').map(([k]) => k)
        expect(empty, 'empty values').toEqual([])
        const badPlaceholders = [...en]
          .filter(([k]) => other.has(k))
          .filter(
            ([k, v]) =>
              JSON.stringify(placeholders(v)) !== JSON.stringify(placeholders(other.get(k) ?? '')),
          )
          .map(([k]) => k)
        expect(badPlaceholders, 'placeholders differ').toEqual([])
        const untranslated = [...en]
          .filter(([k, v]) => other.get(k) === v && !mayEqualEnglish(v))
          .map(([k]) => k)
        expect(untranslated, 'untranslated').toEqual([])
      })
    }
  }

  test('counted sentences take the form their number needs, in every language', () => {
    // i18next picks key_one / key_many / key_other from `count` with the language's CLDR rules:
    // "1 day" in English, "1 jour" and "0 jour" in French, one form in Japanese and Chinese.
    const samples: Record<string, Record<number, string>> = {
      en: { 1: 'one', 2: 'other', 0: 'other' },
      fr: { 1: 'one', 0: 'one', 2: 'other', 1000000: 'many' },
      it: { 1: 'one', 2: 'other', 1000000: 'many' },
      ja: { 1: 'other', 2: 'other' },
      'zh-TW': { 1: 'other', 2: 'other' },
    }
    let families = 0
    for (const lng of LANGUAGES) {
      const t = createTranslator(lng)
      for (const ns of NAMESPACES) {
        const m = flat(lng, ns)
        const bases = new Set([...m.keys()].filter((k) => PLURAL.test(k)).map(pluralBase))
        for (const base of bases) {
          families++
          for (const [n, form] of Object.entries(samples[lng]!)) {
            const want = m.get(`${base}_${form}`)!.replace(/\{\{\s*count\s*\}\}/g, n)
            const got = t(`${ns}:${base}`, { count: Number(n) })
            // Other placeholders stay as written when no value is given.
            expect(got.replace(/\{\{\w+\}\}/g, ''), `${lng} ${ns}:${base} ${n}`).toBe(
              want.replace(/\{\{\w+\}\}/g, ''),
            )
          }
        }
      }
    }
    expect(families).toBeGreaterThan(20)
  })

  test('one word per concept: severity is 重大度 in Japanese, as in Microsoft 365 Defender', () => {
    // The severity filter once read すべての重要度 (importance) beside the 重大度 column heading.
    const ja = NAMESPACES.flatMap((ns) => [...flat('ja', ns).values()])
    expect(ja.filter((v) => v.includes('重要度'))).toEqual([])
    expect(ja.some((v) => v.includes('重大度'))).toBe(true)
  })

  test('English has no empty value', () => {
    for (const ns of NAMESPACES) {
      expect([...flat('en', ns)].filter(([, v]) => !v.trim()).map(([k]) => `${ns}:${k}`)).toEqual(
        [],
      )
    }
  })
})

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return sourceFiles(p)
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [p] : []
  })
}

describe('keys used in code', () => {
  const en = new Map<string, Map<string, string>>(NAMESPACES.map((ns) => [ns, flat('en', ns)]))
  const exists = (key: string) => {
    const [ns, path] = key.split(':') as [string, string]
    const keys = en.get(ns)
    // A plural key is used without its suffix: t('ns:x', { count }) resolves x_one / x_other.
    return (keys?.has(path) || keys?.has(`${path}_other`)) ?? false
  }
  const files = [
    ...sourceFiles(join(REPO_ROOT, 'main')),
    ...sourceFiles(join(REPO_ROOT, 'renderer')),
  ]

  test('every literal t() key exists in English', () => {
    const missing: string[] = []
    let seen = 0
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/\bt\(\s*['"]([a-zA-Z]+:[\w.-]+)['"]/g)) {
        seen++
        if (!exists(m[1]!)) missing.push(`${relative(REPO_ROOT, f)}: ${m[1]}`)
      }
    }
    expect(seen).toBeGreaterThan(40)
    expect(missing).toEqual([])
  })

  test('every literal t() key carries its namespace (so this check can resolve it)', () => {
    const bare: string[] = []
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([^':]+)'/g))
        bare.push(`${relative(REPO_ROOT, f)}: ${m[1]}`)
    }
    expect(bare).toEqual([])
  })

  test('every API error code has a localized message (the UI builds errors:api.<code>)', () => {
    for (const code of API_ERROR_CODES) expect(exists(`errors:api.${code}`), code).toBe(true)
  })

  test('every storage problem has a localized message (errors:storage.<code>)', () => {
    for (const code of STORAGE_CODES) expect(exists(`errors:storage.${code}`), code).toBe(true)
  })

  test('interpolation works in every language', () => {
    for (const lng of LANGUAGES) {
      const t = createTranslator(lng)
      expect(t('common:cli.caseNotFound', { id: 77 })).toContain('77')
    }
  })
})
