/**
 * Connector and accepted-domain exports: import (brief §3) and audit (brief §4). Pure: no IO.
 * Public API used by the UI, the DB layer and the `audit` CLI command.
 */
export { importExports, classify, extendImport, type Extension } from './import'
export { auditTenant, looksRandom, ndrCodes, RULES } from './audit'
export { renderFindingsSummary, findingMessage, findingsToRows } from './summary'
export { toCsv, neutralizeCell, type CsvCell } from './csv'
export { decodeExportBytes, detectFormat } from './detect'
export { LIMITS } from './issues'
export { getProp, valueText, parseDateText } from './values'
export { crossCheckFromParse } from './from-parse'
export * from './types'
