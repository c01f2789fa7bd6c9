-- The audit log, newest first. Optional filters (NULL: any): $1 ids below (keyset), $2 proposal
-- id, $3 actor; $4 row limit.
SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, action,
       proposal_id, from_status, to_status, reason, subject
  FROM audit_log
 WHERE ($1::bigint IS NULL OR id < $1)
   AND ($2::bigint IS NULL OR proposal_id = $2)
   AND ($3::text IS NULL OR actor = $3)
 ORDER BY id DESC
 LIMIT $4::bigint
