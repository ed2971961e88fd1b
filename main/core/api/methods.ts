/**
 * The contract's method names, with no dependency: the sandboxed Electron preload can only load
 * `electron` and its own bundle, so it builds `window.ndr` from this list rather than from the zod
 * schemas. contract.ts is checked against it at compile time.
 */
export const METHOD_NAMES = [
  'app.info',
  'settings.get',
  'settings.setLanguage',
  'settings.setUserName',
  'settings.setLastView',
  'cases.analyze',
  'cases.list',
  'cases.get',
  'cases.explain',
  'cases.update',
  'cases.delete',
  'cases.restore',
  'cases.steps',
  'cases.setStep',
  'cases.report',
  'cases.senderDomains',
  'cases.html',
  'data.export',
  'data.import',
  'connectors.import',
  'connectors.list',
  'connectors.get',
  'connectors.delete',
] as const
export type MethodName = (typeof METHOD_NAMES)[number]

/** Name of the object the Electron preload exposes on `window`. */
export const BRIDGE_NAME = 'ndr'
/** The one IPC channel; the method travels as the first argument. */
export const IPC_CHANNEL = 'ndr:call'
