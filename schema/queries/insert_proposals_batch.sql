-- Many proposals in one statement, as parallel arrays (ids from next_proposal_ids). A row whose
-- idempotency key, or channel and external reference, is taken is skipped; RETURNING names the
-- rows stored.
INSERT INTO proposals (id, document_id, submitter_type, submitter_name, submitter_region,
                       identifier_hash, channel, language, kind, text, proposed_text,
                       idempotency_key, request_fingerprint, external_ref, external_fingerprint,
                       receipt_hash)
SELECT *
  FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::bytea[],
              $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
              $13::bytea[], $14::text[], $15::bytea[], $16::bytea[])
ON CONFLICT DO NOTHING
RETURNING id, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
