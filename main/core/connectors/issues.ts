import type { ImportIssue, ImportIssueCode, IssueParams } from './types'

export function issue(code: ImportIssueCode, params: IssueParams = {}): ImportIssue {
  return { code, messageKey: `audit:import.${code}`, params }
}

/** Bounds of one import (reliability.md §6 P2: every input ≤ 10 MB is parsed or rejected). */
export const LIMITS = {
  /** Characters per input. A real tenant's three exports weigh kilobytes, not megabytes. */
  maxChars: 10_000_000,
  maxCharsLabel: '10 MB',
  maxObjects: 5_000,
  maxPropsPerObject: 500,
  /** CLIXML: elements (counted as `<`) and nesting (reliability.md §4.3 "set maxNestedTags"). */
  maxXmlElements: 2_000_000,
  maxXmlDepth: 64,
  /** Format-List: characters per line, capped before any regex runs (reliability.md §4.6). */
  maxLineChars: 10_000,
  /**
   * One value (a CSV field, an XML text node or tag): the longest real one, a receive connector's
   * RemoteIPRanges, is tens of kilobytes. Checked before the CSV and XML parsers run, which spend
   * 0.5–1 s on one 10 MB value (measured: papaparse with doubled quotes, fast-xml-parser).
   */
  maxValueChars: 1_000_000,
  /** CSV header columns: a connector has about 80 properties; Papa parses every column of every row. */
  maxColumns: 1_000,
  /**
   * CLIXML character and entity references (`&#65;`, `&lt;`): Export-Clixml writes a few per object
   * (`<I>…<S>…` certificate names). A flood of them costs fast-xml-parser ~0.5 µs each
   * (CVE-2026-33036 is the unbounded case).
   */
  maxXmlReferences: 200_000,
  /** JSON nesting: ConvertTo-Json's -Depth is at most 100. */
  maxJsonDepth: 100,
} as const
