// Every size limit of what the API accepts and stores, stated once: the schemas enforce them,
// the body reader and the snapshot diff apply them, and the OpenAPI document publishes them.
// (Rate limits live with their bindings: http/rate-limit.ts.)

export const LIMITS = {
  changeBodyBytes: 1024 * 1024,
  batchBodyBytes: 16 * 1024 * 1024,
  /** Bodies of the account and token routes: a few fields each. */
  smallBodyBytes: 16 * 1024,
  batchChanges: 1000,
  /** Rows one request may record, whatever its number of changes (bounds memory and the
   *  time one write holds the account's chain). */
  eventsPerRequest: 20_000,
  elementsPerChange: 500,
  /** Element names and object names, whether a client sent them or a snapshot diff derived them. */
  elementNameChars: 200,
  objectNameChars: 500,
  /** Text values as sent; values derived from snapshots are stored cut to this. */
  valueChars: 65_536,
  listItems: 10_000,
  /** Nesting of objects and arrays: a body deeper than this is refused before parsing, and
   *  recursive code further on (hashing, diffing, validation) never meets more. */
  jsonDepth: 64,
  futureSkewMs: 5 * 60_000,
  /** Events GET …/verify checks per request; a longer range answers `nextFromSeq`. 250,000
   *  ran out of a 128 MB isolate in the verify benchmark (docs/BENCHMARKS.md); 100,000 fits. */
  verifyEvents: 100_000,
  /** Destinations (webhooks) per account: each one is a delivery loop over the whole chain. */
  destinationsPerAccount: 10,
  /** Counts in answers (`count=true`, facets) are exact up to this, then "100000+"; also the
   *  xlsx export's row cap. */
  exactCount: 100_000,
  /** The element, originator, object type and action facets count this many of the newest
   *  matching events (each read costs a row look-up: 10,000 take ~25 ms of SQLite, 100,000 ten
   *  times that). The days facet counts up to exactCount from the index alone when it can. */
  facetEvents: 10_000,
} as const;
