-- Records the standing decision on campaign $1 with its audit entry (subject "campaign <id>"):
-- parameters as staff_decide_proposal. No row when there is no such campaign; else the decision
-- replaced (audit JSON, NULL when none), the audit entry's id and time, and how many members it
-- applies to (those without a decision of their own).
WITH target AS (
  SELECT id FROM campaigns WHERE id = $1::bigint
), old AS (
  SELECT disposition_json(d.decision, d.answered_document_id, d.answered_articles) AS j
    FROM campaign_dispositions d WHERE d.campaign_id = $1::bigint
), stored AS (
  INSERT INTO campaign_dispositions AS t
    (campaign_id, decision, reason, answered_document_id, answered_articles, decided_by)
  SELECT target.id, $2::text, $3::text, (SELECT id FROM documents WHERE slug = $4::text),
         coalesce($5::text[], '{}'), $6::text
    FROM target
  ON CONFLICT (campaign_id) DO UPDATE
     SET decision = EXCLUDED.decision, reason = EXCLUDED.reason,
         answered_document_id = EXCLUDED.answered_document_id,
         answered_articles = EXCLUDED.answered_articles, decided_by = EXCLUDED.decided_by,
         decided_at = now()
  RETURNING answered_document_id, answered_articles
), logged AS (
  INSERT INTO audit_log (actor, action, subject, from_status, to_status, reason)
  SELECT $6::text, 'disposition', 'campaign ' || $1::bigint, coalesce((SELECT j FROM old), 'null'),
         disposition_json($2::text, s.answered_document_id, s.answered_articles), $3::text
    FROM stored s
  RETURNING id, at
)
SELECT (SELECT j FROM old), logged.id,
       to_char(logged.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       (SELECT count(*) FROM campaign_members cm
         WHERE cm.campaign_id = $1::bigint
           AND NOT EXISTS (SELECT 1 FROM proposal_dispositions o
                            WHERE o.proposal_id = cm.proposal_id))
  FROM logged
