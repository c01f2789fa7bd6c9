-- Appends one change of a proposal's references to the audit log: $1 actor, $2 proposal id,
-- $3 old references (JSON), $4 new references (JSON), $5 reason.
INSERT INTO audit_log (actor, action, proposal_id, from_status, to_status, reason)
VALUES ($1::text, 'articles', $2::bigint, $3::text, $4::text, $5::text)
RETURNING id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
