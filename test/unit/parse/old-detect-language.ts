// detectLanguage as it was before the Latin fast path of commit 4606de2, copied verbatim from
// `git show HEAD~2:main/core/parse/extract.ts` (detectLanguage and the helpers it calls; only the
// function's name changed). speed-paths.test.ts checks that the current detectLanguage still gives
// exactly these answers. Do not "fix" this copy: it is the reference.

import { isAsciiRange } from '../../../main/core/parse/decode'
import type { LowerText } from '../../../main/core/parse/extract'
import { anyOf } from '../../../main/core/parse/needles'

const TRAD =
  '們這個無來對時會過國說與從為將體發還開關頭點應實現當樣麼經書請電話網際郵傳遞訊息認證處員戶內單誤達態'
const SIMP =
  '们这个无来对时会过国说与从为将体发还开关头点应实现当样么经书请电话网际邮传递讯息认证处员户内单误达态'

/** For each char U+4E00-U+9FFF: 1 if in TRAD, else 2 if in SIMP, else 0 (a lookup, not a search). */
const HAN_VARIANT = new Uint8Array(0x9fff - 0x4e00 + 1)
for (const [chars, v] of [
  [SIMP, 2],
  [TRAD, 1],
] as const) {
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i)
    if (c >= 0x4e00 && c <= 0x9fff) HAN_VARIANT[c - 0x4e00] = v
  }
}

const LATIN_KEYWORDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  [
    'fr',
    [
      'non remis',
      'destinataire',
      "n'a pas pu",
      'impossible de remettre',
      'informations de diagnostic',
      'serveur de génération',
      'votre message',
      'en-têtes',
      'remise',
      'échec',
    ],
  ],
  [
    'it',
    [
      'non recapitabile',
      'destinatari',
      'impossibile recapitare',
      'informazioni di diagnostica',
      'server di generazione',
      'il messaggio',
      'recapito',
      'messaggio',
    ],
  ],
  [
    'de',
    ['unzustellbar', 'empfänger', 'nicht zugestellt', 'diagnoseinformationen', 'ihre nachricht'],
  ],
  ['es', ['no se puede entregar', 'destinatario', 'no se pudo entregar', 'su mensaje', 'entrega']],
  ['pt', ['não é possível entregar', 'destinatário', 'sua mensagem', 'não pôde ser entregue']],
  ['nl', ['onbestelbaar', 'ontvanger', 'uw bericht', 'kan niet worden bezorgd']],
  ['sv', ['olevererbart', 'mottagare', 'genererande server', 'ditt meddelande']],
  [
    'en',
    [
      'delivery',
      'the following',
      'could not be delivered',
      "couldn't be delivered",
      'undeliverable',
      'recipient',
      'your message',
      'failed',
      'returned',
      'error',
      'address',
    ],
  ],
]

const LATIN_KEYWORDS_RE = LATIN_KEYWORDS.map(([lang, kws]) => [lang, kws, anyOf(kws)] as const)
/**
 * Any keyword of a language other than English: one scan instead of seven for the usual English
 * text (each separate scan cost about as much as this one).
 */
const NON_ENGLISH_RE = anyOf(LATIN_KEYWORDS.flatMap(([lang, kws]) => (lang === 'en' ? [] : kws)))

function mapLanguageTag(tag: string): string | undefined {
  const t =
    tag
      .trim()
      .split(/[,;\s]/, 1)[0]
      ?.toLowerCase() ?? ''
  if (!/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/.test(t)) return undefined
  const [p, ...rest] = t.split('-')
  if (p === 'zh') {
    if (rest.some((r) => r === 'tw' || r === 'hk' || r === 'mo' || r === 'hant')) return 'zh-TW'
    return 'zh-CN'
  }
  return p
}

/** Language of the human-readable part: script first, then Content-Language, then keywords. */
export function oldDetectLanguage(
  lowered: LowerText,
  contentLanguage: string | undefined,
  knownAscii: boolean,
): string | undefined {
  if (knownAscii) return latinLanguage(lowered, contentLanguage) // see below
  const text = lowered.text
  const sample = text.length > 12000 ? text.slice(0, 12000) : text
  // ASCII text (control chars included) goes straight to the keywords. The loop below would give
  // the same answer for it: no script counts, and fewer than three words cannot pass
  // hasThreeWords. Testing for non-ASCII is a much faster scan than testing for controls too.
  if (isAsciiRange(sample, 0, sample.length)) return latinLanguage(lowered, contentLanguage)
  let kana = 0
  let han = 0
  let hangul = 0
  let cyr = 0
  let trad = 0
  let simp = 0
  let words = 0
  let inWord = false
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i)
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f)
    if (letter) {
      if (!inWord) words++
      inWord = true
      continue
    }
    inWord = false
    if (c < 0x400) continue
    if (c >= 0x3040 && c <= 0x30ff) kana++
    else if (c >= 0x4e00 && c <= 0x9fff) {
      han++
      const v = HAN_VARIANT[c - 0x4e00]
      if (v === 1) trad++
      else if (v === 2) simp++
    } else if (c >= 0xac00 && c <= 0xd7af) hangul++
    else if (c >= 0x400 && c <= 0x4ff) cyr++
  }
  const cjkThreshold = Math.max(8, words * 0.15)
  if (kana + han >= cjkThreshold && kana >= 3) return 'ja'
  if (han >= cjkThreshold) return trad >= simp ? 'zh-TW' : 'zh-CN'
  if (hangul >= cjkThreshold) return 'ko'
  if (cyr >= Math.max(20, words)) return 'ru'
  if (words < 3 && !contentLanguage) return undefined
  return latinLanguage(lowered, contentLanguage)
}

const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95
const isLowerLetter = (c: number): boolean => c >= 97 && c <= 122

/**
 * Linear form of /[a-z]{2,}\W+[a-z]{2,}\W+[a-z]{2,}/ (three words in a row, as prose has): runs of
 * word characters where the first ends in two letters, the middle is all letters, the last starts
 * with two.
 */
function hasThreeWords(s: string, limit: number): boolean {
  const n = Math.min(s.length, limit)
  // The two runs before the current one, [a0, a1) and [b0, b1); a0 is -1 until there are two.
  let a0 = -1
  let a1 = -1
  let b0 = -1
  let b1 = -1
  let i = 0
  while (i < n) {
    if (!isWordChar(s.charCodeAt(i))) {
      i++
      continue
    }
    const start = i
    while (i < n && isWordChar(s.charCodeAt(i))) i++
    if (a0 >= 0) {
      let allLetters = b1 - b0 >= 2
      for (let k = b0; allLetters && k < b1; k++) allLetters = isLowerLetter(s.charCodeAt(k))
      if (
        a1 - a0 >= 2 &&
        isLowerLetter(s.charCodeAt(a1 - 1)) &&
        isLowerLetter(s.charCodeAt(a1 - 2)) &&
        allLetters &&
        i - start >= 2 &&
        isLowerLetter(s.charCodeAt(start)) &&
        isLowerLetter(s.charCodeAt(start + 1))
      )
        return true
    }
    a0 = b0
    a1 = b1
    b0 = start
    b1 = i
  }
  return false
}

function latinLanguage(
  lowered: LowerText,
  contentLanguage: string | undefined,
): string | undefined {
  if (contentLanguage) {
    const m = mapLanguageTag(contentLanguage)
    if (m) return m
  }
  const lower = lowered.prefix(6000)
  if (!hasThreeWords(lower, 2000)) return undefined
  let best: string | undefined
  let bestScore = 0
  const nonEnglish = NON_ENGLISH_RE.test(lower)
  for (const [lang, kws, any] of LATIN_KEYWORDS_RE) {
    if (lang !== 'en' && !nonEnglish) continue
    // One scan tells whether any keyword of the language is there; most texts have none.
    if (!any.test(lower)) continue
    let score = 0
    for (const k of kws) {
      if (!lower.includes(k)) continue
      score += lang === 'en' ? 1 : 3
      // English comes last and scores one a keyword: once it beats the best so far (and reaches 2,
      // the least that counts), more keywords change nothing.
      if (lang === 'en' && score > Math.max(bestScore, 1)) break
    }
    if (score > bestScore) {
      best = lang
      bestScore = score
    }
  }
  return bestScore >= 2 ? best : undefined
}
