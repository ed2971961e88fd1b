import type { ConnectorReport } from '../core/api/contract'
import type { Language } from '../core/i18n/languages'
import type { ParseOutcome } from '../core/parse/types'
import { analyzeInput, type Analysis, type AnalyzeInput } from './analyze'
import { buildConnectorReport, extendConnectorReport } from './connectors'
import type { StoredImport } from './db/connector-imports'
import type { ImportInput } from '../core/connectors/types'

/** The heavy, pure work the backend hands to its worker thread. */
export type Job =
  | { readonly kind: 'analyze'; readonly input: AnalyzeInput }
  | {
      readonly kind: 'connectors'
      readonly stored: StoredImport
      readonly parse: ParseOutcome | null
      readonly language: Language
      readonly now: number
    }
  | {
      readonly kind: 'connectors-extend'
      readonly stored: StoredImport
      readonly added: readonly ImportInput[]
      readonly parse: ParseOutcome | null
      readonly language: Language
      readonly now: number
    }

export interface JobResults {
  analyze: Analysis
  connectors: ConnectorReport
  'connectors-extend': ReturnType<typeof extendConnectorReport>
}

export async function runJob(job: Job): Promise<JobResults[Job['kind']]> {
  switch (job.kind) {
    case 'analyze':
      return await analyzeInput(job.input)
    case 'connectors':
      return buildConnectorReport(job.stored, job.parse, job.language, job.now)
    case 'connectors-extend':
      return extendConnectorReport(job.stored, job.added, job.parse, job.language, job.now)
  }
}
