-- Dispositions: what the commission decided about a proposal or a whole campaign, why, and which
-- articles of a draft answer it. The latest decision stands (one row per proposal or campaign);
-- each one is logged in audit_log (action disposition) with the one it replaced. A proposal's
-- own decision wins; a proposal without one takes its campaign's, members that join later
-- included.

CREATE TABLE proposal_dispositions (
  proposal_id bigint PRIMARY KEY,
  decision text NOT NULL
    CHECK (decision IN ('under_review', 'accepted', 'partly_accepted', 'rejected', 'out_of_scope')),
  reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
  answered_document_id integer,
  answered_articles text[] NOT NULL DEFAULT '{}',
  decided_by text NOT NULL CHECK (decided_by <> ''),
  decided_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((answered_document_id IS NULL) = (cardinality(answered_articles) = 0))
);

CREATE INDEX proposal_dispositions_answered ON proposal_dispositions (answered_document_id)
  WHERE answered_document_id IS NOT NULL;

COMMENT ON TABLE proposal_dispositions IS
  'The standing decision on each proposal decided on its own (the latest; earlier ones are in audit_log). It wins over its campaign''s.';
COMMENT ON COLUMN proposal_dispositions.proposal_id IS 'The proposal.';
COMMENT ON COLUMN proposal_dispositions.decision IS
  'under_review, accepted, partly_accepted, rejected or out_of_scope.';
COMMENT ON COLUMN proposal_dispositions.reason IS 'Why, as the commission wrote it: shown to the public.';
COMMENT ON COLUMN proposal_dispositions.answered_document_id IS
  'The document (a draft) whose articles answer the proposal; NULL when none is named.';
COMMENT ON COLUMN proposal_dispositions.answered_articles IS
  'The articles of that document that answer it, in document order; empty when none.';
COMMENT ON COLUMN proposal_dispositions.decided_by IS 'Token name of the moderator or admin.';
COMMENT ON COLUMN proposal_dispositions.decided_at IS 'When it was decided.';

CREATE TABLE campaign_dispositions (
  campaign_id bigint PRIMARY KEY,
  decision text NOT NULL
    CHECK (decision IN ('under_review', 'accepted', 'partly_accepted', 'rejected', 'out_of_scope')),
  reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
  answered_document_id integer,
  answered_articles text[] NOT NULL DEFAULT '{}',
  decided_by text NOT NULL CHECK (decided_by <> ''),
  decided_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((answered_document_id IS NULL) = (cardinality(answered_articles) = 0))
);

COMMENT ON TABLE campaign_dispositions IS
  'The standing decision on each campaign decided as a whole: it applies to every member without a decision of its own, present and future. A merge keeps the later of the two campaigns'' decisions.';
COMMENT ON COLUMN campaign_dispositions.campaign_id IS 'The campaign.';
COMMENT ON COLUMN campaign_dispositions.decision IS
  'under_review, accepted, partly_accepted, rejected or out_of_scope.';
COMMENT ON COLUMN campaign_dispositions.reason IS 'Why, as the commission wrote it: shown to the public.';
COMMENT ON COLUMN campaign_dispositions.answered_document_id IS
  'The document (a draft) whose articles answer the campaign; NULL when none is named.';
COMMENT ON COLUMN campaign_dispositions.answered_articles IS
  'The articles of that document that answer it, in document order; empty when none.';
COMMENT ON COLUMN campaign_dispositions.decided_by IS 'Token name of the moderator or admin.';
COMMENT ON COLUMN campaign_dispositions.decided_at IS 'When it was decided.';

-- Each proposal's decision as it stands: its own, else its campaign's. Proposals without either
-- have no row.
CREATE VIEW proposal_decisions AS
SELECT d.proposal_id, 'proposal' AS applies_to, d.decision, d.reason, d.answered_document_id,
       d.answered_articles, d.decided_at
  FROM proposal_dispositions d
UNION ALL
SELECT cm.proposal_id, 'campaign', d.decision, d.reason, d.answered_document_id,
       d.answered_articles, d.decided_at
  FROM campaign_dispositions d
  JOIN campaign_members cm ON cm.campaign_id = d.campaign_id
 WHERE NOT EXISTS (SELECT 1 FROM proposal_dispositions o WHERE o.proposal_id = cm.proposal_id);

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

-- A merge keeps the later decision of the two campaigns.
CREATE OR REPLACE FUNCTION campaign_merge(kept bigint, gone bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM campaign_merge_totals(kept, gone);
  INSERT INTO campaign_daily AS t
    (campaign_id, document_id, level, key, day, submitter_type, channel, language, members)
  SELECT kept, document_id, level, key, day, submitter_type, channel, language, members
    FROM campaign_daily WHERE campaign_id = gone
   ORDER BY level, key, day, submitter_type, channel, language
  ON CONFLICT (campaign_id, level, key, day, submitter_type, channel, language) DO UPDATE
     SET members = t.members + EXCLUDED.members;
  DELETE FROM campaign_daily WHERE campaign_id = gone;
  INSERT INTO campaign_dispositions AS t
    (campaign_id, decision, reason, answered_document_id, answered_articles, decided_by,
     decided_at)
  SELECT kept, decision, reason, answered_document_id, answered_articles, decided_by, decided_at
    FROM campaign_dispositions WHERE campaign_id = gone
  ON CONFLICT (campaign_id) DO UPDATE
     SET decision = EXCLUDED.decision, reason = EXCLUDED.reason,
         answered_document_id = EXCLUDED.answered_document_id,
         answered_articles = EXCLUDED.answered_articles, decided_by = EXCLUDED.decided_by,
         decided_at = EXCLUDED.decided_at
   WHERE EXCLUDED.decided_at > t.decided_at;
  DELETE FROM campaign_dispositions WHERE campaign_id = gone;
END $$;

COMMENT ON FUNCTION campaign_merge(bigint, bigint) IS
  'Merges campaign gone into campaign kept: members and counts, daily ones included, move; the later decision of the two stands; gone is deleted. Called by campaigns_store.';

CREATE OR REPLACE FUNCTION search_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE proposal_search, search_pending, proposal_suggestions, suggest_pending,
           stats_estimate_daily, campaign_pending, campaign_signatures, campaign_bands,
           campaign_members, campaigns, campaign_cells, campaign_article_counts,
           campaign_section_counts, campaign_daily, proposal_dispositions, campaign_dispositions;
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
