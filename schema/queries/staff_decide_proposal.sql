-- Records the standing decision on proposal $1 with its audit entry: $2 decision, $3 reason, $4
-- the slug of the document whose articles answer it (NULL: none), $5 those articles (text[]),
-- $6 actor. No row when there is no such proposal; else the decision replaced (audit JSON, NULL
-- when none), the audit entry's id and time, and 0 (members: campaigns only).
WITH target AS (
  SELECT id FROM proposals WHERE id = $1::bigint
), old AS (
  SELECT disposition_json(d.decision, d.answered_document_id, d.answered_articles) AS j
    FROM proposal_dispositions d WHERE d.proposal_id = $1::bigint
), stored AS (
  INSERT INTO proposal_dispositions AS t
    (proposal_id, decision, reason, answered_document_id, answered_articles, decided_by)
  SELECT target.id, $2::text, $3::text, (SELECT id FROM documents WHERE slug = $4::text),
         coalesce($5::text[], '{}'), $6::text
    FROM target
  ON CONFLICT (proposal_id) DO UPDATE
     SET decision = EXCLUDED.decision, reason = EXCLUDED.reason,
         answered_document_id = EXCLUDED.answered_document_id,
         answered_articles = EXCLUDED.answered_articles, decided_by = EXCLUDED.decided_by,
         decided_at = now()
  RETURNING answered_document_id, answered_articles
), logged AS (
  INSERT INTO audit_log (actor, action, proposal_id, from_status, to_status, reason)
  SELECT $6::text, 'disposition', $1::bigint, coalesce((SELECT j FROM old), 'null'),
         disposition_json($2::text, s.answered_document_id, s.answered_articles), $3::text
    FROM stored s
  RETURNING id, at
)
SELECT (SELECT j FROM old), logged.id,
       to_char(logged.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 0::bigint
  FROM logged
