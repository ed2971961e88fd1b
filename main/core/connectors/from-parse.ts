import type { ParseOutcome } from '../parse/types'
import type { NdrCrossCheck } from './types'

/**
 * What the audit can learn from a parsed bounce (domain brief §4.3): the first message that is a
 * bounce, its sender domains (P2 From, P1 envelope), the hop into EOP, codes and diagnostics.
 */
export function crossCheckFromParse(
  parse: ParseOutcome | null | undefined,
): NdrCrossCheck | undefined {
  if (!parse?.ok) return undefined
  const m = parse.messages.find((x) => x.kind !== 'not-ndr')
  if (!m) return undefined
  const first = m.recipients[0]
  const out: { -readonly [K in keyof NdrCrossCheck]: NdrCrossCheck[K] } = {
    recipients: m.recipients.map((r) => ({
      ...(r.status !== undefined ? { status: r.status } : {}),
      ...(r.diagnostic !== undefined ? { diagnostic: r.diagnostic } : {}),
    })),
  }
  if (m.senderDomain) out.senderDomain = m.senderDomain
  if (m.fromDomain) out.fromDomain = m.fromDomain
  if (m.mailFromDomain) out.mailFromDomain = m.mailFromDomain
  if (m.relayIp) out.relayIp = m.relayIp
  const status = m.primaryStatus ?? first?.status
  if (status) out.status = status
  if (first?.diagnostic) out.diagnostic = first.diagnostic
  if (m.generatingServer) out.generatingServer = m.generatingServer
  return out
}
