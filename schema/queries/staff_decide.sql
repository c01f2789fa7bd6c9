-- Records the standing decision on a proposal ($1 'proposal') or a campaign ($1 'campaign'), $2
-- its id, with its audit entry (proposal_id for a proposal, subject "campaign <id>" for a
-- campaign): $3 decision, $4 reason, $5 the slug of the document whose articles answer it (NULL:
-- none), $6 those articles (text[]), $7 actor. No row when there is no such proposal or
-- campaign; else the decision replaced (audit JSON, NULL when none), the audit entry's id and
-- time, and for a campaign how many members it applies to (those without a decision of their
-- own; 0 for a proposal).
WITH target AS (
  SELECT $2::bigint AS id
   WHERE CASE $1::text
           WHEN 'proposal' THEN EXISTS (SELECT 1 FROM proposals WHERE id = $2::bigint)
           ELSE EXISTS (SELECT 1 FROM campaigns WHERE id = $2::bigint) END
), old AS (
  SELECT disposition_json(d.decision, d.answered_document_id, d.answered_articles) AS j
    FROM dispositions d WHERE d.kind = $1::text AND d.target_id = $2::bigint
), stored AS (
  INSERT INTO dispositions AS t
    (kind, target_id, decision, reason, answered_document_id, answered_articles, decided_by)
  SELECT $1::text, target.id, $3::text, $4::text,
         (SELECT id FROM documents WHERE slug = $5::text), coalesce($6::text[], '{}'), $7::text
    FROM target
  ON CONFLICT (kind, target_id) DO UPDATE
     SET decision = EXCLUDED.decision, reason = EXCLUDED.reason,
         answered_document_id = EXCLUDED.answered_document_id,
         answered_articles = EXCLUDED.answered_articles, decided_by = EXCLUDED.decided_by,
         decided_at = now()
  RETURNING answered_document_id, answered_articles
), logged AS (
  INSERT INTO audit_log (actor, action, proposal_id, subject, from_status, to_status, reason)
  SELECT $7::text, 'disposition',
         CASE WHEN $1::text = 'proposal' THEN $2::bigint END,
         CASE WHEN $1::text = 'campaign' THEN 'campaign ' || $2::bigint END,
         coalesce((SELECT j FROM old), 'null'),
         disposition_json($3::text, s.answered_document_id, s.answered_articles), $4::text
    FROM stored s
  RETURNING id, at
)
SELECT (SELECT j FROM old), logged.id,
       to_char(logged.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       CASE WHEN $1::text = 'campaign' THEN
         (SELECT count(*) FROM campaign_members cm
           WHERE cm.campaign_id = $2::bigint
             AND NOT EXISTS (SELECT 1 FROM dispositions o
                              WHERE o.kind = 'proposal' AND o.target_id = cm.proposal_id))
       ELSE 0 END
  FROM logged
