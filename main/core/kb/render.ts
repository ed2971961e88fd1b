/** Turns an Explanation into plain strings, so the CLI and the UI render the same words. */
import type { Explanation, RenderedExplanation, Translate } from './types'

/** Params a catalogue text may use; a missing one is replaced by a neutral word, never left raw. */
export const STANDARD_PARAMS = [
  'code',
  'reply',
  'sender',
  'senderDomain',
  'recipient',
  'recipientDomain',
] as const

export function renderExplanation(e: Explanation, t: Translate): RenderedExplanation {
  const params: Record<string, string> = {}
  for (const name of STANDARD_PARAMS) params[name] = e.params[name] ?? t(`kb:placeholder.${name}`)
  for (const [name, value] of Object.entries(e.params)) params[name] = value
  for (const [name, key] of Object.entries(e.paramKeys)) params[name] = t(key, params)
  // Values are plain text: the caller escapes for its medium (the CLI prints, React escapes).
  const tp = (key: string): string =>
    t(key, { ...params, interpolation: { escapeValue: false } } as never)
  return {
    code: e.code,
    source: e.source,
    entryId: e.entryId,
    title: tp(e.titleKey),
    whoActs: e.whoActs.map((id) => ({ id, label: tp(`kb:whoActs.${id}`) })),
    summary: tp(e.summaryKey),
    why: tp(e.whyKey),
    steps: e.steps.map((st) => ({ id: st.id, text: tp(st.textKey), detail: st.detail ?? null })),
    endUserMessage: tp(e.endUserKey),
    learnMore: e.learnMore ?? null,
  }
}
