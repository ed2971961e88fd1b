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
} as const
