// Loads @kenjiuno/msgreader only when an Outlook .msg actually arrives (see main/core/parse/msg.ts:
// the library costs about 16 MB and 10 ms to load, which no .eml or mbox parse should pay).
import type { MsgReaderClass, ParseOptions } from '../core/parse'
import { isCfb } from '../core/parse'

let loading: Promise<MsgReaderClass> | undefined

function loadMsgReader(): Promise<MsgReaderClass> {
  loading ??= import('@kenjiuno/msgreader').then((m: unknown) => {
    // The package is CommonJS with `exports.default`: under Node's ESM loader the class is at
    // `.default.default`, under a bundler's interop at `.default`.
    const outer = (m as { default?: unknown }).default
    const inner = (outer as { default?: unknown } | undefined)?.default
    return (typeof inner === 'function' ? inner : outer) as MsgReaderClass
  })
  return loading
}

/** The parse options for this input, with the .msg reader loaded when the input is a .msg. */
export async function withMsgReader(
  input: Uint8Array | string,
  opts: ParseOptions = {},
): Promise<ParseOptions> {
  if (typeof input === 'string' || !isCfb(input)) return opts
  return { ...opts, msgReader: await loadMsgReader() }
}
