/** CORS header lists shared by the gateway's preflight (infra) and the service's responses. */
export const CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key"] as const;
/** What a browser app may read from responses: concurrency and correlation headers, and the export's file name. */
export const CORS_EXPOSE_HEADERS = ["ETag", "Location", "Retry-After", "x-request-id", "Content-Disposition"] as const;
