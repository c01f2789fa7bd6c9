INSERT INTO proposals (document_id, submitter_type, submitter_name, submitter_region,
                       identifier_hash, channel, language, kind, text, proposed_text,
                       idempotency_key, request_sha256)
VALUES ($1, $2, $3, $4, $5::bytea, $6, $7, $8, $9, $10, $11, $12::bytea)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING id, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
