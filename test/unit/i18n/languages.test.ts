import { describe, expect, test } from 'vitest'
import { matchLanguage, pickLanguage } from '../../../main/core/i18n/languages'

describe('OS language detection', () => {
  test.each([
    ['en-US', 'en'],
    ['ja-JP', 'ja'],
    ['ja_JP.UTF-8', 'ja'],
    ['zh-TW', 'zh-TW'],
    ['zh-Hant-HK', 'zh-TW'],
    ['zh_HK.UTF-8', 'zh-TW'],
    ['it-CH', 'it'],
    ['fr-CA', 'fr'],
    ['fr', 'fr'],
  ])('%s → %s', (locale, lng) => expect(matchLanguage(locale)).toBe(lng))

  test.each(['zh-CN', 'zh-Hans', 'de-DE', 'C', '', 'xx'])('%s is not one of the five', (locale) => {
    expect(matchLanguage(locale)).toBeUndefined()
  })

  test('the first supported preference wins; English otherwise', () => {
    expect(pickLanguage(['de-DE', 'fr-FR', 'ja-JP'])).toBe('fr')
    expect(pickLanguage(['de-DE', undefined, null])).toBe('en')
  })
})
