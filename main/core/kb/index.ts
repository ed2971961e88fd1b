/** Public API of the explanation knowledge base (issue 4). */
export { explain, rankEntries } from './engine'
export { renderExplanation, STANDARD_PARAMS } from './render'
export { CATALOGUE, ADMIN } from './catalogue'
export { CATEGORIES, CATEGORY_ALIASES, findCategory } from './categories'
export { findCode, normaliseCode, parseCode, inRange, RFC3463_DETAILS } from './codes'
export { WHO_ACTS } from './types'
export type {
  CatalogueEntry,
  CatalogueStep,
  CategoryEntry,
  CodeRange,
  Explanation,
  ExplanationStep,
  ExplainInput,
  RenderedExplanation,
  RenderedStep,
  StepDetail,
  StepDetailKind,
  Translate,
  WhoActs,
} from './types'
