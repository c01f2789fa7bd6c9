-- A proposal's moderation status, locked until the end of the transaction. $1 proposal id.
SELECT status FROM proposals WHERE id = $1::bigint FOR UPDATE
