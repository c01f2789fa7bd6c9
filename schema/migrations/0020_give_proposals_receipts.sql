-- Receipts. Every proposal stored from now on gets a receipt, a code its submitter keeps to see
-- what became of it without an account. The service makes the code from the proposal's id under
-- its secret key and gives it only in the answer that stored the proposal (and its replays);
-- the database keeps only its SHA-256 digest, the key to the public lookup. Proposals stored
-- before have none.

ALTER TABLE proposals ADD COLUMN receipt_hash bytea;

CREATE UNIQUE INDEX proposals_by_receipt ON proposals (receipt_hash);

COMMENT ON COLUMN proposals.receipt_hash IS
  'SHA-256 of the proposal''s receipt (the code given to its submitter, never stored); NULL for proposals stored before receipts existed.';
COMMENT ON INDEX proposals_by_receipt IS 'The public receipt lookup.';
