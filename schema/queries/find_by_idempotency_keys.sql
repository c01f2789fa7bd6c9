-- Stored proposals holding any of the idempotency keys $1, with their keyed request fingerprints
-- (NULL once the proposal's personal data was purged).
SELECT p.idempotency_key, p.id, p.request_fingerprint,
       to_char(p.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM proposals p
 WHERE p.idempotency_key = ANY ($1::text[])
