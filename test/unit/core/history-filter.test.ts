// The case list's history filter (main/core/api/history-filter.ts), as the renderer turns it into
// `cases.list` arguments.
import { describe, expect, test } from 'vitest'
import { historyArgs, NO_HISTORY_FILTER } from '../../../main/core/api/history-filter'

const local = (day: string, days = 0) =>
  new Date(new Date(`${day}T00:00:00`).getTime() + days * 86_400_000).toISOString()

describe('history filter arguments', () => {
  test('local days become the start of `from` and the end of `to`', () => {
    expect(
      historyArgs({
        code: ' 5.7. ',
        senderDomain: 'contoso.com',
        from: '2026-11-01',
        to: '2026-11-23',
      }),
    ).toEqual({
      code: '5.7.',
      senderDomain: 'contoso.com',
      from: local('2026-11-01'),
      to: local('2026-11-23', 1),
    })
    expect(historyArgs(NO_HISTORY_FILTER)).toEqual({})
  })

  test('a year a date field lets one type but a timestamp cannot hold is left out, not an error', () => {
    // Chromium's date field takes years up to 275760; `new Date('20255-01-01T00:00:00')` is invalid
    // and toISOString threw, which the case list showed as "Something went wrong".
    for (const day of [
      '20255-01-01',
      '275760-09-13',
      '9999-12-31',
      '0000-01-01',
      '2026-13-45',
      'x',
    ]) {
      expect(() => historyArgs({ ...NO_HISTORY_FILTER, from: day, to: day }), day).not.toThrow()
      expect(historyArgs({ ...NO_HISTORY_FILTER, from: day, to: day }), day).toEqual({})
    }
    // The last day offered still gives an end the API accepts (a four-digit year).
    expect(historyArgs({ ...NO_HISTORY_FILTER, to: '9999-12-30' }).to).toMatch(/^9999-12-3\dT/)
    // Codes that are not a class prefix are left out too.
    expect(historyArgs({ ...NO_HISTORY_FILTER, code: '9.9' })).toEqual({})
  })
})
