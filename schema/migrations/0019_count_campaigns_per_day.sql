-- Campaign counts per day. A statistic filtered by whole days, submitter type, channel or
-- language counts a campaign once per article among the members that match; campaign_daily
-- keeps each campaign's visible members per day and filter cell, for the document, each article
-- and each section, so that such a read sums aggregates instead of every member's rows. The
-- counting and merging functions keep their names: the earlier bodies are renamed and called
-- from the new ones, which add the daily rows.

CREATE TABLE campaign_daily (
  campaign_id bigint NOT NULL,
  document_id integer NOT NULL,
  level text NOT NULL CHECK (level IN ('document', 'article', 'section')),
  key text NOT NULL,
  day date NOT NULL,
  submitter_type text NOT NULL,
  channel text NOT NULL,
  language text NOT NULL,
  members integer NOT NULL,
  PRIMARY KEY (campaign_id, level, key, day, submitter_type, channel, language)
);

CREATE INDEX campaign_daily_by_document ON campaign_daily (document_id, day);

COMMENT ON TABLE campaign_daily IS
  'Visible members of each campaign per UTC day, submitter type, channel and language: once for the document, once per article they reference, once per section (each member once per section). Under filters a campaign counts once where its matching members are more than 0. Rows may hold 0.';
COMMENT ON COLUMN campaign_daily.campaign_id IS 'The campaign.';
COMMENT ON COLUMN campaign_daily.document_id IS 'Its document.';
COMMENT ON COLUMN campaign_daily.level IS 'What the row counts for: the document, an article or a section.';
COMMENT ON COLUMN campaign_daily.key IS 'Empty for the document; the article id; the section number.';
COMMENT ON COLUMN campaign_daily.day IS 'UTC day the members were received.';
COMMENT ON COLUMN campaign_daily.submitter_type IS 'Submitter type of the members.';
COMMENT ON COLUMN campaign_daily.channel IS 'Their channel.';
COMMENT ON COLUMN campaign_daily.language IS 'Their language, empty when none.';
COMMENT ON COLUMN campaign_daily.members IS 'How many visible members.';

ALTER FUNCTION campaign_count(bigint[], integer, boolean) RENAME TO campaign_count_totals;

COMMENT ON FUNCTION campaign_count_totals(bigint[], integer, boolean) IS
  'The campaign counts without days (size, cells, article and section counts; only the last two when refs_only), with sign added for the given members; called by campaign_count.';

-- Adds sign to the daily rows of the given members' campaigns (the document rows too unless
-- refs_only).
CREATE FUNCTION campaign_count_daily(ids bigint[], sign integer, refs_only boolean) RETURNS void
LANGUAGE sql AS $$
  WITH m AS (
    SELECT cm.campaign_id, cm.document_id, p.id, (p.received_at AT TIME ZONE 'UTC')::date AS day,
           p.submitter_type, p.channel, coalesce(p.language, '') AS language
      FROM campaign_members cm JOIN proposals p ON p.id = cm.proposal_id
     WHERE cm.proposal_id = ANY (ids)
  ), rows AS (
    SELECT m.*, 'document' AS level, '' AS key FROM m WHERE NOT refs_only
    UNION ALL
    SELECT m.*, 'article', pa.article_id
      FROM m JOIN proposal_articles pa ON pa.proposal_id = m.id
    UNION ALL
    SELECT DISTINCT m.*, 'section', a.section_number::text
      FROM m JOIN proposal_articles pa ON pa.proposal_id = m.id
      JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id
  )
  INSERT INTO campaign_daily AS t
    (campaign_id, document_id, level, key, day, submitter_type, channel, language, members)
  SELECT campaign_id, document_id, level, key, day, submitter_type, channel, language,
         sign * count(*)
    FROM rows
   GROUP BY campaign_id, document_id, level, key, day, submitter_type, channel, language
   ORDER BY campaign_id, level, key, day, submitter_type, channel, language
  ON CONFLICT (campaign_id, level, key, day, submitter_type, channel, language) DO UPDATE
     SET members = t.members + EXCLUDED.members
$$;

COMMENT ON FUNCTION campaign_count_daily(bigint[], integer, boolean) IS
  'Adds sign to the campaign_daily rows of the given members (document rows only when not refs_only); called by campaign_count.';

CREATE FUNCTION campaign_count(ids bigint[], sign integer, refs_only boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM campaign_count_totals(ids, sign, refs_only);
  PERFORM campaign_count_daily(ids, sign, refs_only);
END $$;

COMMENT ON FUNCTION campaign_count(bigint[], integer, boolean) IS
  'Adds sign to the campaign counts of the given members, with and without days (size, cells, article and section counts, campaign_daily; only references when refs_only). Callers hold campaign_lock_key().';

ALTER FUNCTION campaign_merge(bigint, bigint) RENAME TO campaign_merge_totals;

COMMENT ON FUNCTION campaign_merge_totals(bigint, bigint) IS
  'Merges campaign gone into campaign kept apart from the daily rows: members and counts move, gone is deleted. Called by campaign_merge.';

CREATE FUNCTION campaign_merge(kept bigint, gone bigint) RETURNS void LANGUAGE plpgsql AS $$
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
END $$;

COMMENT ON FUNCTION campaign_merge(bigint, bigint) IS
  'Merges campaign gone into campaign kept: members and counts, daily ones included, move; gone is deleted. Called by campaigns_store.';

CREATE OR REPLACE FUNCTION search_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE proposal_search, search_pending, proposal_suggestions, suggest_pending,
           stats_estimate_daily, campaign_pending, campaign_signatures, campaign_bands,
           campaign_members, campaigns, campaign_cells, campaign_article_counts,
           campaign_section_counts, campaign_daily;
  RETURN NULL;
END $$;

-- The members already in campaigns.
SELECT pg_advisory_xact_lock(campaign_lock_key());
SELECT campaign_count_daily(ARRAY(SELECT cm.proposal_id FROM campaign_members cm
                                   JOIN proposals p ON p.id = cm.proposal_id
                                  WHERE p.status = 'visible'), 1, false);
