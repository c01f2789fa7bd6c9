-- Dispositions: what the commission decided about a proposal or a whole campaign, why, and which
-- articles of a draft answer it. The latest decision stands (one row per proposal or campaign);
-- each one is logged in audit_log (action disposition) with the one it replaced. A proposal's
-- own decision wins; a proposal without one takes its campaign's, members that join later
-- included.

CREATE TABLE dispositions (
  kind text NOT NULL CHECK (kind IN ('proposal', 'campaign')),
  target_id bigint NOT NULL,
  decision text NOT NULL
    CHECK (decision IN ('under_review', 'accepted', 'partly_accepted', 'rejected', 'out_of_scope')),
  reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
  answered_document_id integer,
  answered_articles text[] NOT NULL DEFAULT '{}',
  decided_by text NOT NULL CHECK (decided_by <> ''),
  decided_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, target_id),
  CHECK ((answered_document_id IS NULL) = (cardinality(answered_articles) = 0))
);

CREATE INDEX dispositions_answered ON dispositions (answered_document_id)
  WHERE answered_document_id IS NOT NULL;

COMMENT ON TABLE dispositions IS
  'The standing decision (the latest; earlier ones are in audit_log) on each proposal decided on its own and on each campaign decided as a whole. A proposal''s own wins; a campaign''s applies to every member without one, present and future. A merge keeps the later of the two campaigns'' decisions.';
COMMENT ON COLUMN dispositions.kind IS 'What was decided on: a proposal or a campaign.';
COMMENT ON COLUMN dispositions.target_id IS 'The proposal''s or the campaign''s id.';
COMMENT ON COLUMN dispositions.decision IS
  'under_review, accepted, partly_accepted, rejected or out_of_scope.';
COMMENT ON COLUMN dispositions.reason IS 'Why, as the commission wrote it: shown to the public.';
COMMENT ON COLUMN dispositions.answered_document_id IS
  'The document (a draft) whose articles answer it; NULL when none is named.';
COMMENT ON COLUMN dispositions.answered_articles IS
  'The articles of that document that answer it, in document order; empty when none.';
COMMENT ON COLUMN dispositions.decided_by IS 'Token name of the moderator or admin.';
COMMENT ON COLUMN dispositions.decided_at IS 'When it was decided.';
COMMENT ON INDEX dispositions_answered IS 'What the articles of a document answer.';

-- Each proposal's decision as it stands: its own, else its campaign's. Proposals without either
-- have no row.
CREATE VIEW proposal_decisions AS
SELECT d.target_id AS proposal_id, 'proposal' AS applies_to, d.decision, d.reason,
       d.answered_document_id, d.answered_articles, d.decided_at
  FROM dispositions d
 WHERE d.kind = 'proposal'
UNION ALL
SELECT cm.proposal_id, 'campaign', d.decision, d.reason, d.answered_document_id,
       d.answered_articles, d.decided_at
  FROM dispositions d
  JOIN campaign_members cm ON cm.campaign_id = d.target_id
 WHERE d.kind = 'campaign'
   AND NOT EXISTS (SELECT 1 FROM dispositions o
                    WHERE o.kind = 'proposal' AND o.target_id = cm.proposal_id);

COMMENT ON VIEW proposal_decisions IS
  'The decision standing for each decided proposal: its own (applies_to proposal), else its campaign''s (applies_to campaign).';

ALTER TABLE audit_log
  DROP CONSTRAINT audit_log_action_check,
  ADD CONSTRAINT audit_log_action_check
    CHECK (action IN ('moderation', 'article_map', 'articles', 'disposition')),
  ADD CONSTRAINT audit_log_disposition_check
    CHECK (action <> 'disposition' OR ((proposal_id IS NULL) <> (subject IS NULL)));

COMMENT ON TABLE audit_log IS
  'Append-only log of staff changes: who changed what, from what to what, when and why. Moderation (a proposal''s status), article_map (a confirmed pair of an article map), articles (a proposal''s confirmed references, replaced by staff) and disposition (the decision on a proposal or a campaign). Written in the same transaction as the change; rows are never updated or deleted and the table is never truncated.';
COMMENT ON COLUMN audit_log.action IS 'What was changed: moderation, article_map, articles or disposition.';
COMMENT ON COLUMN audit_log.proposal_id IS
  'The proposal moderated, tagged or decided; NULL for article_map and a campaign''s disposition.';
COMMENT ON COLUMN audit_log.subject IS
  'What else was changed, in words: for article_map "<to>/<article> from <from>", for a campaign''s disposition "campaign <id>"; NULL otherwise.';
COMMENT ON COLUMN audit_log.from_status IS
  'The value before: the status for moderation; the predecessors in force (JSON array) for article_map; the references (JSON array of {"article","paragraph","source"}) for articles; the decision replaced (JSON {"decision","answered_by"}, null when none) for disposition.';
COMMENT ON COLUMN audit_log.to_status IS 'The value after, in the same form.';

-- A merge keeps the later decision of the two campaigns: the counting merge keeps its body under
-- another name and is called first.
ALTER FUNCTION campaign_merge(bigint, bigint) RENAME TO campaign_merge_counts;

COMMENT ON FUNCTION campaign_merge_counts(bigint, bigint) IS
  'Merges campaign gone into campaign kept but for the decisions: members and counts, daily ones included, move; gone is deleted. Called by campaign_merge.';

CREATE FUNCTION campaign_merge(kept bigint, gone bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM campaign_merge_counts(kept, gone);
  INSERT INTO dispositions AS t
    (kind, target_id, decision, reason, answered_document_id, answered_articles, decided_by,
     decided_at)
  SELECT 'campaign', kept, decision, reason, answered_document_id, answered_articles,
         decided_by, decided_at
    FROM dispositions WHERE kind = 'campaign' AND target_id = gone
  ON CONFLICT (kind, target_id) DO UPDATE
     SET decision = EXCLUDED.decision, reason = EXCLUDED.reason,
         answered_document_id = EXCLUDED.answered_document_id,
         answered_articles = EXCLUDED.answered_articles, decided_by = EXCLUDED.decided_by,
         decided_at = EXCLUDED.decided_at
   WHERE EXCLUDED.decided_at > t.decided_at;
  DELETE FROM dispositions WHERE kind = 'campaign' AND target_id = gone;
END $$;

COMMENT ON FUNCTION campaign_merge(bigint, bigint) IS
  'Merges campaign gone into campaign kept: members and counts, daily ones included, move; the later decision of the two stands; gone is deleted. Called by campaigns_store.';

CREATE OR REPLACE FUNCTION search_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE proposal_search, search_pending, proposal_suggestions, suggest_pending,
           stats_estimate_daily, campaign_pending, campaign_signatures, campaign_bands,
           campaign_members, campaigns, campaign_cells, campaign_article_counts,
           campaign_section_counts, campaign_daily, dispositions;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION search_reset() IS
  'Empties what belongs to the proposals when proposals are emptied: the stored vectors, the suggestions, the estimates, the campaigns and their marks, the dispositions.';

-- The audit form of a decision: {"decision","answered_by":{"document","articles"}|null}.
CREATE FUNCTION disposition_json(p_decision text, p_document integer, p_articles text[])
RETURNS text LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
           'decision', p_decision,
           'answered_by',
           CASE WHEN p_document IS NULL THEN NULL
                ELSE jsonb_build_object('document', (SELECT d.slug FROM documents d
                                                      WHERE d.id = p_document),
                                        'articles', to_jsonb(p_articles)) END)::text
$$;

COMMENT ON FUNCTION disposition_json(text, integer, text[]) IS
  'A decision as audit_log records it: {"decision","answered_by":{"document","articles"}|null}.';
