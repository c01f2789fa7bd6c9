-- Hiding a proposal recomputes first_at and last_at only where it was the first or the last.
--
-- Hiding a folded proposal recomputed the earliest and latest visible time of every cell of its
-- articles from the raw tables: a scan of every proposal of each of its articles. Hiding 3,000
-- proposals of a 100,000-proposal consultation took minutes, and a campaign of 30,000 would
-- take hours. A cell's earliest and latest times change only when the proposal hidden holds one
-- of them; elsewhere the counts change and the times stay. A daily cell's times are recomputed
-- from the proposals of its day rather than from every proposal of its article.

CREATE OR REPLACE FUNCTION stats_on_status_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  sign integer := CASE WHEN NEW.status = 'visible' THEN 1 ELSE -1 END;
  cell_day date := (NEW.received_at AT TIME ZONE 'UTC')::date;
  untagged integer;
BEGIN
  IF EXISTS (SELECT 1 FROM stats_pending WHERE proposal_id = NEW.id) THEN
    RETURN NULL;
  END IF;
  PERFORM stats_apply(array_agg(pa.proposal_id), array_agg(pa.article_id), sign, true)
     FROM proposal_articles pa WHERE pa.proposal_id = NEW.id;
  untagged := CASE WHEN EXISTS (SELECT 1 FROM proposal_articles WHERE proposal_id = NEW.id)
                   THEN 0 ELSE sign END;
  INSERT INTO stats_proposal_daily AS t
    (document_id, day, submitter_type, channel, language, proposals, untagged)
  VALUES (NEW.document_id, cell_day, NEW.submitter_type, NEW.channel, coalesce(NEW.language, ''),
          sign, untagged)
  ON CONFLICT (document_id, day, submitter_type, channel, language) DO UPDATE
     SET proposals = t.proposals + EXCLUDED.proposals,
         untagged = t.untagged + EXCLUDED.untagged;
  IF sign < 0 THEN
    UPDATE stats_article_totals t
       SET first_at = r.first_at, last_at = r.last_at
      FROM (SELECT pa.article_id, min(p.received_at) AS first_at, max(p.received_at) AS last_at
              FROM proposal_articles pa JOIN proposals p ON p.id = pa.proposal_id
             WHERE pa.document_id = NEW.document_id AND p.status = 'visible'
               AND NOT EXISTS (SELECT 1 FROM stats_pending sp WHERE sp.proposal_id = p.id)
               AND p.submitter_type = NEW.submitter_type
               AND pa.article_id IN (SELECT c.article_id
                                       FROM proposal_articles x
                                       JOIN stats_article_totals c
                                         ON c.document_id = NEW.document_id
                                        AND c.submitter_type = NEW.submitter_type
                                        AND c.article_id = x.article_id
                                      WHERE x.proposal_id = NEW.id AND c.proposals > 0
                                        AND NEW.received_at IN (c.first_at, c.last_at))
             GROUP BY pa.article_id) r
     WHERE t.document_id = NEW.document_id AND t.submitter_type = NEW.submitter_type
       AND t.article_id = r.article_id;
    UPDATE stats_article_totals t SET first_at = NULL, last_at = NULL
     WHERE t.document_id = NEW.document_id AND t.submitter_type = NEW.submitter_type
       AND t.proposals = 0
       AND t.article_id IN (SELECT article_id FROM proposal_articles WHERE proposal_id = NEW.id);
    -- The proposals of the cell's day, through the (document_id, received_at) index: a day
    -- holds far fewer than an article does.
    IF EXISTS (SELECT 1 FROM proposal_articles x
                 JOIN stats_article_daily c
                   ON c.document_id = NEW.document_id AND c.day = cell_day
                  AND c.submitter_type = NEW.submitter_type AND c.channel = NEW.channel
                  AND c.language = coalesce(NEW.language, '') AND c.article_id = x.article_id
                WHERE x.proposal_id = NEW.id AND c.proposals > 0
                  AND NEW.received_at IN (c.first_at, c.last_at)) THEN
      WITH same_day AS MATERIALIZED (
        SELECT p.id, p.received_at FROM proposals p
         WHERE p.document_id = NEW.document_id
           AND p.received_at >= cell_day::timestamp AT TIME ZONE 'UTC'
           AND p.received_at < (cell_day + 1)::timestamp AT TIME ZONE 'UTC'
           AND p.status = 'visible' AND p.submitter_type = NEW.submitter_type
           AND p.channel = NEW.channel AND coalesce(p.language, '') = coalesce(NEW.language, '')
           AND NOT EXISTS (SELECT 1 FROM stats_pending sp WHERE sp.proposal_id = p.id))
      UPDATE stats_article_daily t
         SET first_at = r.first_at, last_at = r.last_at
        FROM (SELECT pa.article_id, min(d.received_at) AS first_at, max(d.received_at) AS last_at
                FROM same_day d JOIN proposal_articles pa ON pa.proposal_id = d.id
               WHERE pa.article_id IN (SELECT article_id FROM proposal_articles
                                        WHERE proposal_id = NEW.id)
               GROUP BY pa.article_id) r
       WHERE t.document_id = NEW.document_id AND t.day = cell_day
         AND t.submitter_type = NEW.submitter_type AND t.channel = NEW.channel
         AND t.language = coalesce(NEW.language, '') AND t.article_id = r.article_id
         AND NEW.received_at IN (t.first_at, t.last_at);
    END IF;
    UPDATE stats_article_daily t SET first_at = NULL, last_at = NULL
     WHERE t.document_id = NEW.document_id AND t.day = cell_day
       AND t.submitter_type = NEW.submitter_type AND t.channel = NEW.channel
       AND t.language = coalesce(NEW.language, '') AND t.proposals = 0
       AND t.article_id IN (SELECT article_id FROM proposal_articles WHERE proposal_id = NEW.id);
  END IF;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION stats_on_status_changed() IS 'Follows a moderation change of a folded proposal: hiding counts it out and, in the cells where it held the earliest or latest time, recomputes first_at and last_at from the folded visible proposals; showing counts it back in. A pending proposal is left to its fold.';
