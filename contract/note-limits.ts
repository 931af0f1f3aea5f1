/** The limits of a note and of a page of notes: the schemas (contract/schemas.ts) and the service's body limit enforce them. */
export const noteLimits = {
  titleMin: 1,
  titleMax: 200,
  bodyMax: 10_000,
  /** Request bodies above this are refused with 413 before being read whole. */
  requestBodyMaxBytes: 16 * 1024,
  listDefault: 20,
  listMax: 100,
} as const;
