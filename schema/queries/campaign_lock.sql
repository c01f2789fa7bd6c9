-- The campaign counts' lock, exclusively, until the end of the transaction: one batch of
-- comparisons at a time, and no moderation or tagging of a member half-way through one.
SELECT pg_advisory_xact_lock(campaign_lock_key())
