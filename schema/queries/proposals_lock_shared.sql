-- The proposals table in ACCESS SHARE mode until the end of the transaction, taken first by a
-- transaction that then takes marks (suggest_pending, campaign_pending): a TRUNCATE of
-- proposals, which empties the marks too, takes the same locks in the same order, so the two
-- wait for each other instead of deadlocking.
LOCK TABLE proposals IN ACCESS SHARE MODE
