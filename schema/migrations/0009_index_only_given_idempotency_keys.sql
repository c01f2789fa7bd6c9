-- Only proposals sent with an Idempotency-Key have one: the others need no entry in its unique
-- index (most proposals have none, and every insert wrote one).
ALTER TABLE proposals DROP CONSTRAINT proposals_idempotency_key_key;
CREATE UNIQUE INDEX proposals_idempotency_key ON proposals (idempotency_key)
  WHERE idempotency_key IS NOT NULL;
