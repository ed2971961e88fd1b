import {
  nothingToExplainKey,
  type CaseDetail,
  type CaseExplanation,
  type CaseStep,
  type StepState,
} from '../core/api/contract'
import type { Language } from '../core/i18n/languages'
import { formatDateTime, labelValue, listOf } from '../core/i18n/format'
import { createTranslator } from './i18n'

export type ReportFormat = 'md' | 'html'

export interface ReportInput {
  readonly detail: CaseDetail
  readonly explanation: CaseExplanation
  readonly steps: readonly CaseStep[]
  /** Ticket-ready summaries of the case's connector audits, newest first (already in `language`). */
  readonly connectorSummaries: readonly string[]
  readonly language: Language
  readonly generatedAt: Date
}

const MARK: Record<StepState, string> = { todo: '[ ]', done: '[x]', skipped: '[-]', na: '[~]' }

function md(input: ReportInput): string {
  const t = createTranslator(input.language)
  const tt = (k: string, p: Record<string, unknown> = {}) =>
    t(k, { ...p, interpolation: { escapeValue: false } })
  const lv = (label: string, value: string) => labelValue(tt, label, value)
  const list = (items: readonly string[]) => listOf(tt, items)
  const d = input.detail
  const stepByKey = new Map(input.steps.map((s) => [s.key, s]))
  const fmt = (iso: string) => formatDateTime(iso, input.language)
  const out: string[] = []
  out.push(
    `# ${tt('common:report.heading', { id: d.id, title: d.title || tt('common:cases.untitled') })}`,
    '',
  )
  out.push(`- ${lv(tt('common:case.status'), d.status ?? tt('common:cases.noCode'))}`)
  out.push(`- ${lv(tt('common:report.state'), tt(`common:track.caseState.${d.state}`))}`)
  if (d.ticket) out.push(`- ${lv(tt('common:track.ticket'), d.ticket)}`)
  if (d.tags.length) out.push(`- ${lv(tt('common:track.tags'), list(d.tags))}`)
  out.push(`- ${lv(tt('common:case.created'), fmt(d.createdAt))}`)
  out.push(`- ${lv(tt('common:report.generated'), fmt(input.generatedAt.toISOString()))}`, '')
  if (input.explanation.items.length === 0)
    out.push(tt(nothingToExplainKey(input.explanation.notBounce)), '')
  for (const item of input.explanation.items) {
    const e = item.explanation
    out.push(`## ${e.title}${e.code ? ` (${e.code})` : ''}`, '')
    if (item.address) out.push(lv(tt('common:report.recipient'), item.address), '')
    out.push(lv(`**${tt('common:explain.whoActs')}**`, list(e.whoActs.map((w) => w.label))), '')
    out.push(e.summary, '', lv(`**${tt('common:explain.why')}**`, e.why), '')
    out.push(`### ${tt('common:explain.steps')}`, '')
    e.steps.forEach((s, i) => {
      const saved = stepByKey.get(`${item.messageIndex}:${item.recipientIndex}:${s.id}`)
      const state = saved?.state ?? 'todo'
      out.push(`${i + 1}. ${MARK[state]} ${s.text} (${tt(`common:track.state.${state}`)})`)
      if (s.detail) out.push(`   \`${s.detail.value.replace(/`/g, "'")}\``)
      if (saved && saved.state !== 'todo')
        out.push(
          `   ${tt('common:track.stamp', { by: saved.updatedBy, at: fmt(saved.updatedAt) })}`,
        )
      if (saved?.note) out.push(`   > ${saved.note.replace(/\r?\n/g, '\n   > ')}`)
    })
    out.push('', `### ${tt('common:explain.endUser')}`, '', e.endUserMessage, '')
    if (e.learnMore) out.push(lv(tt('common:explain.learnMore'), e.learnMore), '')
  }
  for (const s of input.connectorSummaries) out.push(s.replace(/^## /m, '## '), '')
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  )
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )
}

/**
 * A self-contained HTML page from the Markdown: every character of the case is escaped (the NDR is
 * untrusted), and the page's own CSP forbids any script or remote load when it is opened later.
 */
function html(input: ReportInput): string {
  const lines = md(input).split('\n')
  const body: string[] = []
  let list: 'ol' | 'ul' | null = null
  const close = () => {
    if (list) body.push(`</${list}>`)
    list = null
  }
  const inline = (s: string) =>
    escapeHtml(s)
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/`([^`]+)`/g, '<code>$1</code>')
  for (const line of lines) {
    const h = /^(#{1,3}) (.*)$/.exec(line)
    const ol = /^\d+\. (.*)$/.exec(line)
    const ul = /^- (.*)$/.exec(line)
    if (h) {
      close()
      body.push(`<h${h[1]!.length}>${inline(h[2]!)}</h${h[1]!.length}>`)
    } else if (ol || ul) {
      const kind = ol ? 'ol' : 'ul'
      if (list !== kind) {
        close()
        body.push(`<${kind}>`)
        list = kind
      }
      body.push(`<li>${inline((ol ?? ul)![1]!)}</li>`)
    } else if (/^ {3}/.test(line) && list) {
      body.push(`<div class="sub">${inline(line.trim().replace(/^> /, ''))}</div>`)
    } else if (line.trim() === '') {
      close()
    } else {
      close()
      body.push(`<p>${inline(line)}</p>`)
    }
  }
  close()
  const title = escapeHtml(lines[0]?.replace(/^# /, '') ?? '')
  return `<!doctype html>
<html lang="${input.language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${title}</title>
<style>
body { font-family: 'Segoe UI', system-ui, sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem; color: #242424; line-height: 1.5; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #e0e0e0; padding-bottom: .25rem; } h3 { font-size: 1.05rem; }
code { font-family: Consolas, 'Cascadia Mono', monospace; background: #f5f5f5; padding: 0 .25rem; border-radius: 3px; }
.sub { color: #616161; margin: .15rem 0 .35rem; }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`
}

export function buildReport(input: ReportInput, format: ReportFormat): string {
  return format === 'md' ? md(input) : html(input)
}
