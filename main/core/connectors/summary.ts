import type { Finding, Translate } from './types'
import { SEVERITIES } from './types'
import type { CsvCell } from './csv'

// Plain-text/Markdown output: i18next must not HTML-escape the evidence (`<`, `&`, quotes).
const NO_ESCAPE = { interpolation: { escapeValue: false } } as const

function tr(t: Translate, key: string, params: Readonly<Record<string, unknown>> = {}): string {
  try {
    return t(key, { ...params, ...NO_ESCAPE })
  } catch {
    return key
  }
}

/** Finding params plus translated names a message may mention. */
function paramsOf(f: Finding, t: Translate): Record<string, unknown> {
  return { ...f.params, objectType: tr(t, `audit:objectType.${f.objectType}`) }
}

/** The one-line message of a finding, translated. */
export function findingMessage(f: Finding, t: Translate): string {
  return tr(t, f.messageKey, paramsOf(f, t))
}

/** Markdown stays readable as plain text; values in backticks must not contain backticks. */
function code(text: string): string {
  const clean = text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')
  return clean === '' ? '—' : `\`${clean.length > 300 ? clean.slice(0, 300) + '…' : clean}\``
}

/**
 * A ticket-ready summary of the findings (Markdown that reads as plain text): grouped by severity,
 * the findings that explain the case's NDR first, each with evidence, why and fix.
 */
export function renderFindingsSummary(findings: readonly Finding[], t: Translate): string {
  const lines: string[] = []
  lines.push(`## ${tr(t, 'audit:summary.title')}`, '')
  if (findings.length === 0) {
    lines.push(tr(t, 'audit:summary.none'), '')
    return lines.join('\n')
  }
  const counts = SEVERITIES.map(
    (s) => `${tr(t, `audit:severity.${s}`)}: ${findings.filter((f) => f.severity === s).length}`,
  )
  lines.push(
    tr(t, 'audit:summary.counts', { count: findings.length, bySeverity: counts.join(', ') }),
    '',
  )
  const explaining = findings.filter((f) => f.explainsNdr)
  const others = findings.filter((f) => !f.explainsNdr)
  const block = (f: Finding): void => {
    const p = paramsOf(f, t)
    lines.push(
      `- **[${tr(t, `audit:severity.${f.severity}`)}] ${f.rule} ${tr(t, f.titleKey, p)}**`,
      `  ${tr(t, 'audit:summary.evidence', {
        objectType: p.objectType,
        object: code(f.object),
        property: code(f.property),
        value: code(f.value),
      })}`,
      `  ${tr(t, f.messageKey, p)}`,
      `  ${tr(t, 'audit:summary.why')} ${tr(t, f.whyKey, p)}`,
      `  ${tr(t, 'audit:summary.fix')} ${tr(t, f.fixKey, p)}`,
    )
  }
  if (explaining.length > 0) {
    lines.push(`### ${tr(t, 'audit:summary.explainsNdr')}`, '')
    explaining.forEach(block)
    lines.push('')
  }
  for (const s of SEVERITIES) {
    const group = others.filter((f) => f.severity === s)
    if (group.length === 0) continue
    lines.push(`### ${tr(t, `audit:severity.${s}`)}`, '')
    group.forEach(block)
    lines.push('')
  }
  return lines.join('\n')
}

/** Findings as spreadsheet rows (header first) for `toCsv`. */
export function findingsToRows(findings: readonly Finding[], t: Translate): CsvCell[][] {
  const header = [
    'rule',
    'severity',
    'objectType',
    'object',
    'property',
    'value',
    'message',
    'why',
    'fix',
  ]
  return [
    header.map((h) => tr(t, `audit:columns.${h}`)),
    ...findings.map((f) => {
      const p = paramsOf(f, t)
      return [
        f.rule,
        tr(t, `audit:severity.${f.severity}`),
        p.objectType as string,
        f.object,
        f.property,
        f.value,
        tr(t, f.messageKey, p),
        tr(t, f.whyKey, p),
        tr(t, f.fixKey, p),
      ]
    }),
  ]
}
