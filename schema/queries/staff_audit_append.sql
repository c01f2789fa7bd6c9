-- Appends one moderation change to the audit log: $1 actor (token name), $2 proposal id,
-- $3 previous status, $4 new status, $5 reason.
INSERT INTO audit_log (actor, proposal_id, from_status, to_status, reason)
VALUES ($1::text, $2::bigint, $3::text, $4::text, $5::text)
RETURNING id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
