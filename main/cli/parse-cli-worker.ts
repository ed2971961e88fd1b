// Worker thread of `ndr-assistant parse` (issue 3, "Speed"): the main thread splits an mbox and posts
// batches of messages packed in one transferred ArrayBuffer; this worker parses them and posts back,
// per message, the JSON bodies (`--json`) or the outcome (readable summary), in batch order.
// The same functions run in-process when the worker bundle is absent (vitest, unbuilt tree), so both
// paths print byte-identical output.

import { Buffer, isAscii } from 'node:buffer'
import { parentPort, workerData } from 'node:worker_threads'
import type { BounceResult, ParseOutcome } from '../core/parse/index'
import { parseMessage } from '../core/parse/index'

/** A batch: messages laid end to end in `buf`; message k spans ends[k-1] (or 0) .. ends[k]. */
export interface BatchRequest {
  readonly id: number
  readonly buf: ArrayBuffer
  readonly ends: Uint32Array
  readonly json: boolean
}

/** Per message: the JSON bodies of its results (`--json`), or the outcome itself. */
export type MessageReply =
  | { readonly ok: true; readonly json: readonly string[] }
  | { readonly ok: true; readonly messages: readonly BounceResult[] }
  | Extract<ParseOutcome, { ok: false }>

export interface BatchReply {
  readonly id: number
  readonly replies: readonly MessageReply[]
}

/**
 * One result as a JSON object without the leading `file` and `index` keys (the main thread, which
 * knows them, prepends them). Key order is the CLI's documented order.
 */
export function jsonBody(r: BounceResult): string {
  return JSON.stringify({
    kind: r.kind,
    notNdrReason: r.notNdrReason ?? null,
    system: r.system,
    layout: r.layout,
    language: r.language ?? null,
    category: r.category,
    sender: r.sender ?? null,
    senderDomain: r.senderDomain ?? null,
    reportingMta: r.reportingMta ?? null,
    generatingServer: r.generatingServer ?? null,
    originalSubject: r.originalSubject ?? null,
    originalMessageId: r.originalMessageId ?? null,
    auth: r.auth,
    recipients: r.recipients.map((rc) => ({
      address: rc.address ?? null,
      status: rc.status ?? null,
      replyCode: rc.replyCode ?? null,
      action: rc.action ?? null,
      diagnostic: rc.diagnostic ?? null,
      remoteMta: rc.remoteMta ?? null,
      category: rc.category,
      otherStatuses: rc.otherStatuses,
    })),
    warnings: r.warnings.map((w) => w.code),
  })
}

/**
 * `binary`: the message as a binary string when the caller has it; `ascii`: whether every byte is
 * below 0x80, when the caller has checked (see parseMessage).
 */
export function parseOne(
  bytes: Uint8Array,
  json: boolean,
  binary?: string,
  ascii?: boolean,
): MessageReply {
  const outcome = parseMessage(bytes, binary, ascii)
  if (!outcome.ok) return outcome
  return json ? { ok: true, json: outcome.messages.map(jsonBody) } : outcome
}

export function parseBatch(req: BatchRequest): BatchReply {
  const bytes = new Uint8Array(req.buf)
  const replies: MessageReply[] = []
  let start = 0
  for (const end of req.ends) {
    // The same shortcuts as the main thread's own parsing (see parse.ts binaryOf): Latin-1 decoded
    // natively, and Node's isAscii.
    const m = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
    replies.push(parseOne(m, req.json, m.toString('latin1'), isAscii(m)))
    start = end
  }
  return { id: req.id, replies }
}

// Only when started by the parse command's pool (never when imported by the command itself).
const port = parentPort
if (port && (workerData as { ndrParseCli?: boolean } | undefined)?.ndrParseCli === true) {
  port.on('message', (req: BatchRequest) => {
    port.postMessage(parseBatch(req))
  })
  // Loaded: the pool tells a worker that cannot load (missing bundle) from one that crashed later.
  port.postMessage('ready')
}
