import { describe, expect, test } from 'vitest'
import { RULES } from '../../../main/core/connectors'
import { EXPORT_FORMATS, OBJECT_TYPES, SEVERITIES } from '../../../main/core/connectors/types'
import { LANGUAGES } from '../../../main/core/i18n/languages'
import { RESOURCES } from '../../../main/core/i18n/resources'

type Tree = { [k: string]: Tree | string }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
  }
  return out
}

const placeholders = (s: string): string[] =>
  [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).sort()

const audit = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(RESOURCES[l].audit as Tree)]))
const en = audit.en!

// Keys whose value may equal English because it is only a name, code or cmdlet (none so far).
const SAME_AS_ENGLISH_OK = new Set<string>()

const IMPORT_CODES = [
  'empty',
  'unknownFormat',
  'formatTable',
  'wrongObjectType',
  'truncatedFile',
  'malformed',
  'xmlDoctype',
  'tooLarge',
  'tooManyObjects',
  'tooDeep',
  'tooManyElements',
  'tooManyReferences',
  'tooManyColumns',
  'valueTooLong',
  'flattenedLists',
  'truncatedLists',
  'ambiguousDates',
  'skippedRecords',
  'skippedLines',
  'duplicates',
  'outboundFilters',
  'mixedTypes',
]
const VARIANTS = ['I3.unverified', 'I9.impossible', 'I11.skipLastIp', 'O2.vendor', 'O7.scoped']

describe('audit.json in five languages', () => {
  test('English covers every rule, variant, severity, object type, format and import issue', () => {
    const needed = [
      ...RULES.flatMap((r) => ['title', 'message', 'why', 'fix'].map((p) => `rules.${r}.${p}`)),
      ...VARIANTS.map((v) => `rules.${v}`),
      ...SEVERITIES.map((s) => `severity.${s}`),
      ...[...OBJECT_TYPES, 'Ndr', 'Tenant'].map((o) => `objectType.${o}`),
      ...EXPORT_FORMATS.map((f) => `format.${f}`),
      ...IMPORT_CODES.map((c) => `import.${c}`),
    ]
    // A counted sentence is a plural family: key_one, key_other (i18next picks the form).
    for (const key of needed) expect(en.get(key) ?? en.get(`${key}_other`), key).toBeTruthy()
  })

  test.each(LANGUAGES.filter((l) => l !== 'en'))(
    '%s has every key, non-empty, with the same placeholders',
    (lng) => {
      const other = audit[lng]!
      // Plural families too have the same forms in every language (see test/unit/i18n/locales).
      expect([...other.keys()].sort()).toEqual([...en.keys()].sort())
      for (const [key, value] of en) {
        const translated = other.get(key)!
        expect(translated.trim(), `${lng} ${key}`).not.toBe('')
        expect(placeholders(translated), `${lng} ${key}`).toEqual(placeholders(value))
        if (!SAME_AS_ENGLISH_OK.has(key))
          expect(translated, `${lng} ${key} is untranslated`).not.toBe(value)
      }
    },
  )

  test('Microsoft admin-center terms are used per language', () => {
    const terms: Record<string, [string, string, string]> = {
      ja: ['承認済みドメイン', 'コネクタ', 'テナント'],
      'zh-TW': ['接受的網域', '連接器', '租用戶'],
      it: ['dominio accettato', 'connettore', 'tenant'],
      fr: ['domaine accepté', 'connecteur', 'client'],
    }
    for (const [lng, words] of Object.entries(terms)) {
      const all = [...audit[lng]!.values()].join('\n').toLowerCase()
      for (const w of words) expect(all, `${lng}: ${w}`).toContain(w.toLowerCase())
    }
  })
})
