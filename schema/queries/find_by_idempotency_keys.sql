-- Stored proposals holding any of the idempotency keys $1, with their request fingerprints.
SELECT p.idempotency_key, p.id, p.request_sha256,
       to_char(p.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM proposals p
 WHERE p.idempotency_key = ANY ($1::text[])
