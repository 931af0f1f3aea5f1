/** Note shapes and limits shared by the service, the client and the tests. */

export interface Note {
  id: string;
  title: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface NoteList {
  items: Note[];
  nextCursor: string | null;
}

export const noteLimits = {
  titleMin: 1,
  titleMax: 200,
  bodyMax: 10_000,
  /** Request bodies above this are refused with 413 before being read whole. */
  requestBodyMaxBytes: 16 * 1024,
  listDefault: 20,
  listMax: 100,
} as const;
