// No dependency (zod stays out of what imports only these, such as the backend's job worker).

/**
 * Lengths of what a user types, checked by the contract's schemas and given to the fields as their
 * maximum, so that a too-long value is stopped while typed instead of refused on saving.
 */
export const FIELD_LIMITS = {
  title: 200,
  ticket: 100,
  tag: 40,
  tags: 20,
  note: 10_000,
  userName: 100,
} as const
