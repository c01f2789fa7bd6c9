-- Appends one change of an article map to the audit log: $1 actor (token name), $2 subject
-- ("<to>/<article> from <from>"), $3 predecessors before (JSON array), $4 after, $5 reason.
INSERT INTO audit_log (actor, action, subject, from_status, to_status, reason)
VALUES ($1::text, 'article_map', $2::text, $3::text, $4::text, $5::text)
RETURNING id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
