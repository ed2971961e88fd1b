import type { CaseExplanation, ExplainedRecipient } from '../core/api/contract'
import type { Language } from '../core/i18n/languages'
import { explain, renderExplanation, type Translate } from '../core/kb'
import type { BounceResult, NotNdrReason, ParseOutcome } from '../core/parse/types'
import { createTranslator } from './i18n'

const translators = new Map<Language, Translate>()
function translator(lng: Language): Translate {
  let t = translators.get(lng)
  if (!t) {
    const tf = createTranslator(lng)
    t = (key, params) => tf(key, params ?? {})
    translators.set(lng, t)
  }
  return t
}

/**
 * Explains every bounced recipient of a case in the language asked for, which need not be the UI's
 * nor the NDR's: a Japanese bounce can be explained in French for the admin and in Italian for the
 * user. Messages that are not bounces (auto-replies, ordinary mail) get no explanation.
 */
export function explainCase(parse: ParseOutcome | null, language: Language): CaseExplanation {
  const items: ExplainedRecipient[] = []
  if (parse?.ok) {
    const t = translator(language)
    parse.messages.forEach((m, messageIndex) => {
      if (m.kind === 'not-ndr') return
      m.recipients.forEach((r, recipientIndex) => {
        const e = explain({
          status: r.status,
          replyCode: r.replyCode,
          diagnostic: r.diagnostic,
          category: r.category,
          system: m.system,
          sender: m.sender,
          senderDomain: m.senderDomain,
          recipient: r.address,
        })
        items.push({
          messageIndex,
          recipientIndex,
          address: r.address ?? null,
          explanation: renderExplanation(e, t),
        })
      })
    })
  }
  return { language, items, notBounce: parse?.ok ? notBounce(parse.messages) : null }
}

/** The reason none of the messages is a bounce, the most telling first; null if one is. */
function notBounce(messages: readonly BounceResult[]): NotNdrReason | null {
  if (messages.some((m) => m.kind !== 'not-ndr')) return null
  const reasons = new Set(messages.map((m) => m.notNdrReason ?? 'unreadable'))
  for (const r of ['spam-complaint', 'auto-reply', 'ordinary'] as const)
    if (reasons.has(r)) return r
  return 'unreadable'
}
