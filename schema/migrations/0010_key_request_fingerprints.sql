-- Request fingerprints are keyed. The body of a submission holds the submitter's name and
-- identifier, so a plain SHA-256 of it let anyone who could read the table test guesses of them
-- (an IIN has about 2e9 valid values). A proposal sent with an Idempotency-Key now keeps
-- request_fingerprint: HMAC-SHA-256, under the server's identifier key, of the SHA-256 of the
-- body's canonical JSON. Rows written before keep their plain digest in request_sha256 only until
-- the server, which holds the key, replaces it by its keyed form at its next start; nothing
-- else ever writes request_sha256 again. Purging a proposal's personal data blanks both.

ALTER TABLE proposals
  ADD COLUMN request_fingerprint bytea CHECK (octet_length(request_fingerprint) = 32);

DO $$
DECLARE
  c text;
BEGIN
  FOR c IN
    SELECT conname FROM pg_constraint
     WHERE conrelid = 'proposals'::regclass AND contype = 'c'
       AND pg_get_constraintdef(oid) LIKE '%request_sha256 IS NULL%'
  LOOP
    EXECUTE format('ALTER TABLE proposals DROP CONSTRAINT %I', c);
  END LOOP;
END $$;

-- Purged before this migration: the plain digest goes now.
UPDATE proposals SET request_sha256 = NULL
 WHERE personal_data_purged_at IS NOT NULL AND request_sha256 IS NOT NULL;

ALTER TABLE proposals
  ADD CONSTRAINT proposals_fingerprint_needs_key
    CHECK (idempotency_key IS NOT NULL
           OR (request_fingerprint IS NULL AND request_sha256 IS NULL)),
  ADD CONSTRAINT proposals_one_fingerprint
    CHECK (request_fingerprint IS NULL OR request_sha256 IS NULL),
  DROP CONSTRAINT proposals_purged_blank,
  ADD CONSTRAINT proposals_purged_blank
    CHECK (personal_data_purged_at IS NULL
           OR (submitter_name IS NULL AND identifier_hash IS NULL
               AND request_fingerprint IS NULL AND request_sha256 IS NULL));

-- Finds the rows still to be rekeyed without reading the table.
CREATE INDEX proposals_unkeyed_fingerprint ON proposals (id) WHERE request_sha256 IS NOT NULL;
