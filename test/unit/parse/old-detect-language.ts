// detectLanguage as it was before the Latin fast path of commit 4606de2 (from
// `git show 4606de2~1:main/core/parse/extract.ts`): the script count over the whole sample, then the
// engine's own keyword step (latinLanguage and the Han table did not change, so they are imported,
// not copied). speed-paths.test.ts checks that the current detectLanguage still gives exactly these
// answers. Do not "fix" this copy: it is the reference.

import { isAsciiRange } from '../../../main/core/parse/decode'
import { HAN_VARIANT, latinLanguage, type LowerText } from '../../../main/core/parse/extract'

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
