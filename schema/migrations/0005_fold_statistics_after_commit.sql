-- Statistics are folded into the aggregates after the inserting transaction, not inside it.
--
-- Updating the aggregate cells in every inserting transaction made concurrent inserts wait for
-- each other on the same hot cells and left a dead row version per cell and transaction. Now an
-- insert only marks its proposals as pending (an insert-only table, no shared rows), and
-- stats_fold() counts pending proposals into the aggregates in large batches, each in one
-- transaction that also removes their marks. Every reader sees the *_live views: the
-- aggregates plus the pending proposals counted from the raw tables, in one snapshot, so a
-- committed proposal is counted at once, folded or not.

CREATE TABLE stats_pending (
  proposal_id bigint PRIMARY KEY
);

-- As before, with one more argument: `complete` says that the arrays hold every reference of
-- each proposal in them (a fold, a status change), so that none can have an older reference
-- and the lookup of older references is skipped. When it runs, the older references of each
-- proposal are looked up by its id (OFFSET 0 keeps the planner from turning the lookup into a
-- join over every reference stored).
DROP FUNCTION stats_apply(bigint[], text[], integer);
CREATE FUNCTION stats_apply(ids bigint[], arts text[], sign integer, complete boolean)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH x AS (
    SELECT * FROM unnest(ids, arts) AS x (proposal_id, article_id)
  ), r AS (
    SELECT p.document_id, x.article_id, a.section_number, p.id, p.submitter_type, p.channel,
           coalesce(p.language, '') AS language, p.received_at,
           (p.received_at AT TIME ZONE 'UTC')::date AS day
      FROM x
      JOIN proposals p ON p.id = x.proposal_id
      JOIN articles a ON a.document_id = p.document_id AND a.article_id = x.article_id
  ), totals AS (
    INSERT INTO stats_article_totals AS t
      (document_id, article_id, submitter_type, proposals, first_at, last_at)
    SELECT r.document_id, r.article_id, r.submitter_type, sign * count(*), min(r.received_at),
           max(r.received_at)
      FROM r
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (document_id, article_id, submitter_type) DO UPDATE
       SET proposals = t.proposals + EXCLUDED.proposals,
           first_at = CASE WHEN sign > 0 THEN least(t.first_at, EXCLUDED.first_at) ELSE t.first_at END,
           last_at = CASE WHEN sign > 0 THEN greatest(t.last_at, EXCLUDED.last_at) ELSE t.last_at END
    RETURNING 1
  ), daily AS (
    INSERT INTO stats_article_daily AS t
      (document_id, article_id, day, submitter_type, channel, language, proposals, first_at, last_at)
    SELECT r.document_id, r.article_id, r.day, r.submitter_type, r.channel, r.language,
           sign * count(*), min(r.received_at), max(r.received_at)
      FROM r
     GROUP BY r.document_id, r.day, r.submitter_type, r.channel, r.language, r.article_id
     ORDER BY r.document_id, r.day, r.submitter_type, r.channel, r.language, r.article_id
    ON CONFLICT (document_id, day, submitter_type, channel, language, article_id) DO UPDATE
       SET proposals = t.proposals + EXCLUDED.proposals,
           first_at = CASE WHEN sign > 0 THEN least(t.first_at, EXCLUDED.first_at) ELSE t.first_at END,
           last_at = CASE WHEN sign > 0 THEN greatest(t.last_at, EXCLUDED.last_at) ELSE t.last_at END
    RETURNING 1
  )
  INSERT INTO stats_section_daily AS t
    (document_id, section_number, day, submitter_type, channel, language, proposals)
  SELECT r.document_id, r.section_number, r.day, r.submitter_type, r.channel, r.language,
         sign * count(DISTINCT r.id)
    FROM r
   WHERE complete OR NOT EXISTS (
           SELECT 1
             FROM proposal_articles older
             JOIN articles oa ON oa.document_id = older.document_id
                             AND oa.article_id = older.article_id
            WHERE older.proposal_id = r.id AND oa.section_number = r.section_number
              AND (older.proposal_id, older.article_id) NOT IN (
                    SELECT x.proposal_id, x.article_id FROM x)
           OFFSET 0)
   GROUP BY r.document_id, r.day, r.submitter_type, r.channel, r.language, r.section_number
   ORDER BY r.document_id, r.day, r.submitter_type, r.channel, r.language, r.section_number
  ON CONFLICT (document_id, day, submitter_type, channel, language, section_number) DO UPDATE
     SET proposals = t.proposals + EXCLUDED.proposals;
END $$;

-- New proposals wait to be folded.
CREATE OR REPLACE FUNCTION stats_on_proposals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_pending (proposal_id) SELECT id FROM new_proposals;
  RETURN NULL;
END $$;

-- Article references of a pending proposal are counted when it is folded, with all its other
-- references. References added to a proposal that is already folded are counted here. Locking
-- the pending marks first makes a fold that is taking them finish (or wait) before this
-- statement decides which of the two counts them. Every row is reached by key, from arrays:
-- the planner knows neither how few rows a transition table holds nor, between two ANALYZEs of
-- a fast growing table, how large that table has become, and must not read either whole per
-- insert.
CREATE OR REPLACE FUNCTION stats_on_articles_inserted() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
  referenced bigint[];
  pending bigint[];
  ids bigint[];
  arts text[];
BEGIN
  SELECT array_agg(DISTINCT proposal_id) INTO referenced FROM new_refs;
  SELECT array_agg(proposal_id) INTO pending
    FROM (SELECT proposal_id FROM stats_pending WHERE proposal_id = ANY (referenced)
           ORDER BY proposal_id FOR SHARE) s;
  IF cardinality(pending) = cardinality(referenced) THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(n.proposal_id), array_agg(n.article_id) INTO ids, arts
    FROM new_refs n
    JOIN proposals p ON p.id = n.proposal_id AND p.status = 'visible'
   WHERE n.proposal_id <> ALL (coalesce(pending, '{}'));
  IF ids IS NOT NULL THEN
    PERFORM stats_apply(ids, arts, 1, false);
  END IF;
  RETURN NULL;
END $$;

-- Counts up to max_proposals pending proposals (the oldest first) into the aggregates and
-- removes their marks; returns how many were taken. Marks locked by another fold or by a
-- transaction adding references are skipped and taken by a later fold. The proposals are
-- locked against moderation until commit: a status change either finishes first (and the fold
-- counts the new status) or waits and then counts itself as a change of a folded proposal.
-- Every row is reached by key, as above.
CREATE FUNCTION stats_fold(max_proposals integer) RETURNS integer LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
  ids bigint[];
BEGIN
  SELECT array_agg(proposal_id ORDER BY proposal_id) INTO ids
    FROM (SELECT proposal_id FROM stats_pending ORDER BY proposal_id
           LIMIT max_proposals FOR UPDATE SKIP LOCKED) s;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM stats_pending WHERE proposal_id = ANY (ids);
  PERFORM 1 FROM proposals WHERE id = ANY (ids) ORDER BY id FOR SHARE;
  PERFORM stats_apply(array_agg(pa.proposal_id), array_agg(pa.article_id), 1, true)
     FROM proposal_articles pa
     JOIN proposals p ON p.id = pa.proposal_id AND p.status = 'visible'
    WHERE pa.proposal_id = ANY (ids);
  INSERT INTO stats_proposal_daily AS t
    (document_id, day, submitter_type, channel, language, proposals)
  SELECT document_id, (received_at AT TIME ZONE 'UTC')::date, submitter_type, channel,
         coalesce(language, ''), count(*)
    FROM proposals WHERE id = ANY (ids) AND status = 'visible'
   GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (document_id, day, submitter_type, channel, language) DO UPDATE
     SET proposals = t.proposals + EXCLUDED.proposals;
  RETURN cardinality(ids);
END $$;

-- Moderation of a pending proposal changes nothing counted yet: the fold counts its status then.
-- Otherwise as before: hiding counts a folded proposal out, showing it counts it back in; the
-- first and last times of its cells are recomputed from the folded visible proposals.
CREATE OR REPLACE FUNCTION stats_on_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign integer := CASE WHEN NEW.status = 'visible' THEN 1 ELSE -1 END;
  cell_day date := (NEW.received_at AT TIME ZONE 'UTC')::date;
BEGIN
  IF EXISTS (SELECT 1 FROM stats_pending WHERE proposal_id = NEW.id) THEN
    RETURN NULL;
  END IF;
  PERFORM stats_apply(array_agg(pa.proposal_id), array_agg(pa.article_id), sign, true)
     FROM proposal_articles pa WHERE pa.proposal_id = NEW.id;
  INSERT INTO stats_proposal_daily AS t
    (document_id, day, submitter_type, channel, language, proposals)
  VALUES (NEW.document_id, cell_day, NEW.submitter_type, NEW.channel, coalesce(NEW.language, ''), sign)
  ON CONFLICT (document_id, day, submitter_type, channel, language) DO UPDATE
     SET proposals = t.proposals + EXCLUDED.proposals;
  IF sign < 0 THEN
    UPDATE stats_article_totals t
       SET first_at = r.first_at, last_at = r.last_at
      FROM (SELECT pa.article_id, min(p.received_at) AS first_at, max(p.received_at) AS last_at
              FROM proposal_articles pa JOIN proposals p ON p.id = pa.proposal_id
             WHERE pa.document_id = NEW.document_id AND p.status = 'visible'
               AND NOT EXISTS (SELECT 1 FROM stats_pending sp WHERE sp.proposal_id = p.id)
               AND p.submitter_type = NEW.submitter_type
               AND pa.article_id IN (SELECT article_id FROM proposal_articles
                                      WHERE proposal_id = NEW.id)
             GROUP BY pa.article_id) r
     WHERE t.document_id = NEW.document_id AND t.submitter_type = NEW.submitter_type
       AND t.article_id = r.article_id;
    UPDATE stats_article_totals t SET first_at = NULL, last_at = NULL
     WHERE t.document_id = NEW.document_id AND t.submitter_type = NEW.submitter_type
       AND t.proposals = 0
       AND t.article_id IN (SELECT article_id FROM proposal_articles WHERE proposal_id = NEW.id);
    UPDATE stats_article_daily t
       SET first_at = r.first_at, last_at = r.last_at
      FROM (SELECT pa.article_id, min(p.received_at) AS first_at, max(p.received_at) AS last_at
              FROM proposal_articles pa JOIN proposals p ON p.id = pa.proposal_id
             WHERE pa.document_id = NEW.document_id AND p.status = 'visible'
               AND NOT EXISTS (SELECT 1 FROM stats_pending sp WHERE sp.proposal_id = p.id)
               AND p.submitter_type = NEW.submitter_type AND p.channel = NEW.channel
               AND coalesce(p.language, '') = coalesce(NEW.language, '')
               AND p.received_at >= cell_day::timestamp AT TIME ZONE 'UTC'
               AND p.received_at < (cell_day + 1)::timestamp AT TIME ZONE 'UTC'
               AND pa.article_id IN (SELECT article_id FROM proposal_articles
                                      WHERE proposal_id = NEW.id)
             GROUP BY pa.article_id) r
     WHERE t.document_id = NEW.document_id AND t.day = cell_day
       AND t.submitter_type = NEW.submitter_type AND t.channel = NEW.channel
       AND t.language = coalesce(NEW.language, '') AND t.article_id = r.article_id;
    UPDATE stats_article_daily t SET first_at = NULL, last_at = NULL
     WHERE t.document_id = NEW.document_id AND t.day = cell_day
       AND t.submitter_type = NEW.submitter_type AND t.channel = NEW.channel
       AND t.language = coalesce(NEW.language, '') AND t.proposals = 0;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION stats_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE stats_article_totals, stats_article_daily, stats_section_daily, stats_proposal_daily,
           stats_pending;
  RETURN NULL;
END $$;

-- The visible pending proposals' article references, shaped for the views below. Each pending
-- proposal is looked up by its id (OFFSET 0 keeps the planner from joining the other way round
-- over whole tables when its guess of the pending count is stale): with nothing pending, the
-- views cost nothing more than the aggregates.
CREATE VIEW stats_pending_refs AS
SELECT r.*
  FROM stats_pending s
 CROSS JOIN LATERAL (
       SELECT p.document_id, pa.article_id, a.section_number, p.id AS proposal_id,
              p.submitter_type, p.channel, coalesce(p.language, '') AS language, p.received_at,
              (p.received_at AT TIME ZONE 'UTC')::date AS day
         FROM proposals p
         JOIN proposal_articles pa ON pa.proposal_id = p.id
         JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id
        WHERE p.id = s.proposal_id AND p.status = 'visible'
       OFFSET 0) r;

-- Each aggregate as its readers see it: folded cells plus pending proposals, one row each (sum
-- the proposals column, take min/max of the times).
CREATE VIEW stats_article_totals_live AS
SELECT document_id, article_id, submitter_type, proposals, first_at, last_at
  FROM stats_article_totals
UNION ALL
SELECT document_id, article_id, submitter_type, 1, received_at, received_at
  FROM stats_pending_refs;

CREATE VIEW stats_article_daily_live AS
SELECT document_id, article_id, day, submitter_type, channel, language, proposals, first_at,
       last_at
  FROM stats_article_daily
UNION ALL
SELECT document_id, article_id, day, submitter_type, channel, language, 1, received_at,
       received_at
  FROM stats_pending_refs;

-- A pending proposal counts once per section it references.
CREATE VIEW stats_section_daily_live AS
SELECT document_id, section_number, day, submitter_type, channel, language, proposals
  FROM stats_section_daily
UNION ALL
SELECT document_id, section_number, day, submitter_type, channel, language,
       count(DISTINCT proposal_id)
  FROM stats_pending_refs
 GROUP BY document_id, section_number, day, submitter_type, channel, language;

CREATE VIEW stats_proposal_daily_live AS
SELECT document_id, day, submitter_type, channel, language, proposals
  FROM stats_proposal_daily
UNION ALL
SELECT p.document_id, p.day, p.submitter_type, p.channel, p.language, 1
  FROM stats_pending s
 CROSS JOIN LATERAL (
       SELECT q.document_id, (q.received_at AT TIME ZONE 'UTC')::date AS day, q.submitter_type,
              q.channel, coalesce(q.language, '') AS language
         FROM proposals q
        WHERE q.id = s.proposal_id AND q.status = 'visible'
       OFFSET 0) p;
