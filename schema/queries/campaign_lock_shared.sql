-- The campaign counts' lock in shared mode, until the end of the transaction: taken before any
-- row lock by a staff change of many members, so that it never waits for the detector while
-- holding rows the detector needs.
SELECT pg_advisory_xact_lock_shared(campaign_lock_key())
