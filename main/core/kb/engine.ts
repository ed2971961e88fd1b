/**
 * The engine only matches and ranks: catalogue entry by code and diagnostic text, else the RFC 3463
 * composition, else the reason category. It never throws and never returns an empty explanation.
 */
import { CATALOGUE } from './catalogue'
import { CATEGORIES, findCategory } from './categories'
import { findCode, inRange, isRfc3463Detail, normaliseCode, parseCode } from './codes'
import type {
  CatalogueEntry,
  CatalogueStep,
  CategoryEntry,
  Explanation,
  ExplanationStep,
  ExplainInput,
  WhoActs,
} from './types'

const MAIN_ARTICLE =
  'https://learn.microsoft.com/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online'

// Bounces reported by these systems are explained from the Exchange Online catalogue first.
const MICROSOFT_SYSTEM = /microsoft|exchange|office ?365|o365|m365|\bexo\b|outlook|hotmail/i

export interface Match {
  readonly entry: CatalogueEntry
  readonly score: number
}

/**
 * Length of the longest phrase of the entry found in the diagnostic (0: none). A longer phrase is
 * more specific: "Blocked by Customer Allow list" beats "Unable to relay" in the same line.
 */
function textMatch(entry: CatalogueEntry, diagnostic: string): number {
  if (diagnostic === '' || !entry.text) return 0
  let best = 0
  for (const re of entry.text) {
    const m = re.exec(diagnostic)
    if (m) best = Math.max(best, m[0].length)
  }
  return best
}

/**
 * Ranks candidates: a matching text outweighs the kind of code match (the text decides when one code
 * means several things, domain brief §1.0), an exact code beats a range, a range beats a family.
 */
export function rankEntries(code: string, diagnostic: string): readonly Match[] {
  const out: Match[] = []
  for (const entry of CATALOGUE) {
    const matched = textMatch(entry, diagnostic)
    const text = matched > 0
    let codeScore = 0
    if (code) {
      if (entry.codes.includes(code)) codeScore = 3
      else if (entry.ranges?.some((r) => inRange(code, r))) codeScore = 2
      else if (text && entry.family?.some((r) => inRange(code, r))) codeScore = 1
      if (codeScore === 0) continue
    } else if (!(entry.codeless && text)) {
      continue
    }
    out.push({
      entry,
      score: codeScore + (text ? 10 + Math.min(matched, 200) / 1000 : entry.isDefault ? 0.5 : 0),
    })
  }
  return out.sort((a, b) => b.score - a.score)
}

function clean(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return ''
  return String(v).trim()
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@')
  return at >= 0 ? address.slice(at + 1).replace(/>$/, '') : ''
}

function steps(list: readonly CatalogueStep[]): readonly ExplanationStep[] {
  return list.map((st) =>
    st.detail
      ? { id: st.id, textKey: `kb:step.${st.id}`, detail: st.detail }
      : { id: st.id, textKey: `kb:step.${st.id}` },
  )
}

function fromEntry(
  entry: CatalogueEntry,
  code: string,
  params: Record<string, string>,
): Explanation {
  const base = {
    code,
    source: 'catalogue' as const,
    entryId: entry.id,
    titleKey: `kb:entry.${entry.id}.title`,
    summaryKey: `kb:entry.${entry.id}.summary`,
    whyKey: `kb:entry.${entry.id}.why`,
    whoActs: entry.whoActs,
    steps: steps(entry.steps),
    endUserKey: `kb:endUser.${entry.endUser}`,
    params,
    paramKeys: {},
  }
  return entry.learnMore ? { ...base, learnMore: entry.learnMore } : base
}

function fromCategory(
  cat: CategoryEntry,
  code: string,
  params: Record<string, string>,
): Explanation {
  return {
    code,
    source: 'fallback',
    entryId: `category:${cat.id}`,
    titleKey: `kb:category.${cat.id}.title`,
    summaryKey: `kb:category.${cat.id}.summary`,
    whyKey: `kb:category.${cat.id}.why`,
    whoActs: cat.whoActs,
    steps: steps(cat.steps),
    endUserKey: `kb:endUser.${cat.endUser}`,
    params,
    paramKeys: {},
  }
}

const SUBJECT_WHO: Readonly<Record<number, readonly WhoActs[]>> = {
  0: ['senderAdmin', 'recipientAdmin'],
  1: ['sender'],
  2: ['recipient', 'recipientAdmin'],
  3: ['recipientAdmin'],
  4: ['recipientAdmin', 'senderAdmin'],
  5: ['senderAdmin'],
  6: ['sender', 'senderAdmin'],
  7: ['senderAdmin', 'recipientAdmin'],
}

/** RFC 3463 composition: class (§3.1), subject (§3.2) and, where the RFC defines it, detail (§3.3–3.9). */
function fromRfc3463(code: string, params: Record<string, string>): Explanation {
  const c = parseCode(code)!
  const subjectKnown = c.subject >= 0 && c.subject <= 7
  const detailKnown = subjectKnown && isRfc3463Detail(c.subject, c.detail)
  const r = 'kb:rfc3463'
  const paramKeys: Record<string, string> = {
    classTitle: `${r}.class.${c.klass}.title`,
    area: subjectKnown ? `${r}.subject.${c.subject}.area` : `${r}.unknownArea`,
  }
  if (subjectKnown) paramKeys.subjectTitle = `${r}.subject.${c.subject}.title`
  if (detailKnown) paramKeys.detailTitle = `${r}.detail.${c.subject}_${c.detail}`
  const titleKey = detailKnown
    ? `${r}.detail.${c.subject}_${c.detail}`
    : subjectKnown
      ? `${r}.subject.${c.subject}.title`
      : `${r}.class.${c.klass}.title`
  const whyKey = detailKnown
    ? 'kb:fallback.whyDetail'
    : subjectKnown
      ? 'kb:fallback.whySubject'
      : 'kb:fallback.whyClass'
  const stepList: CatalogueStep[] = []
  if (c.klass === 2) stepList.push({ id: 'deliveredNothing' })
  else {
    if (c.klass === 4) stepList.push({ id: 'waitRetry' })
    stepList.push({ id: 'readDiagnostic' })
    if (subjectKnown) stepList.push({ id: `fallbackSubject${c.subject}` })
    if (c.klass === 5) stepList.push({ id: 'sendRemoteErrorToRecipient' })
  }
  const whoActs: readonly WhoActs[] =
    c.klass === 2 ? ['nobody'] : (SUBJECT_WHO[c.subject] ?? ['senderAdmin', 'recipientAdmin'])
  return {
    code,
    source: 'fallback',
    entryId: `rfc3463:${code}`,
    titleKey,
    summaryKey: `${r}.class.${c.klass}.summary`,
    whyKey,
    whoActs,
    steps: steps(stepList),
    endUserKey: `kb:endUser.${c.klass === 2 ? 'delivered' : c.klass === 4 ? 'fallback4' : 'fallback5'}`,
    learnMore: MAIN_ARTICLE,
    params,
    paramKeys,
  }
}

function undefinedCategory(): CategoryEntry {
  return CATEGORIES.find((c) => c.id === 'undefined')!
}

/** Explains one bounced recipient. Pure; never throws. */
export function explain(input: ExplainInput): Explanation {
  const diagnostic = clean(input.diagnostic)
  const code = normaliseCode(clean(input.status)) || findCode(diagnostic)
  const sender = clean(input.sender)
  const recipient = clean(input.recipient)
  const params: Record<string, string> = {}
  if (code) params.code = code
  const reply = clean(input.replyCode)
  if (/^[245]\d\d$/.test(reply)) params.reply = reply
  if (sender) params.sender = sender
  const senderDomain = clean(input.senderDomain) || domainOf(sender)
  if (senderDomain) params.senderDomain = senderDomain
  if (recipient) params.recipient = recipient
  const recipientDomain = clean(input.recipientDomain) || domainOf(recipient)
  if (recipientDomain) params.recipientDomain = recipientDomain

  const category = findCategory(clean(input.category))
  const system = clean(input.system)
  // 'unknown' is the parser's word for "no evidence either way" (a bare code, a few pasted lines):
  // not a foreign system. Such pastes come from an Exchange Online user's NDR more often than not,
  // and a bare "5.7.750" must get its own entry, not the generic "sender rejected" (session 4).
  const foreign = system !== '' && system !== 'unknown' && !MICROSOFT_SYSTEM.test(system)

  const best = rankEntries(code, diagnostic)[0]
  // A non-Microsoft server's reason category describes its bounce better than Exchange Online's
  // catalogue, whose steps assume a Microsoft tenant on the other side, unless the text shows it is
  // Microsoft's rejection relayed (corpus lhost-qmail-09: qmail reporting EOP's 5.7.606).
  const relayedMicrosoft =
    (best !== undefined && best.score >= 10) || MICROSOFT_SYSTEM.test(diagnostic)
  if (foreign && !relayedMicrosoft && category && category.id !== 'undefined') {
    return fromCategory(category, code, params)
  }
  if (best) return fromEntry(best.entry, code, params)

  if (code) {
    const c = parseCode(code)!
    const specific = c.subject <= 7 && isRfc3463Detail(c.subject, c.detail) && c.detail !== 0
    // X.Y.0 or an invented detail says little; a known category says more.
    if (!specific && category && category.id !== 'undefined')
      return fromCategory(category, code, params)
    return fromRfc3463(code, params)
  }
  return fromCategory(category ?? undefinedCategory(), code, params)
}
