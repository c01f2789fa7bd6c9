-- Proposals from every channel: a proposal may name no article (untagged: it is counted in
-- proposals and untagged, and touches no article), and may carry the reference it has in the
-- channel it came through (an e-Otinish registration number, a letter's reference), unique per
-- channel. external_fingerprint is the keyed fingerprint of the proposal's content (HMAC under
-- the identifier key, as request_fingerprint), so that the same channel and reference sent again
-- with the same content answers the first proposal, and with other content is a conflict; a
-- purge of personal data blanks it.

ALTER TABLE proposals
  ADD COLUMN external_ref text
    CHECK (char_length(external_ref) BETWEEN 1 AND 200 AND external_ref !~ '[[:cntrl:]]'),
  ADD COLUMN external_fingerprint bytea CHECK (octet_length(external_fingerprint) = 32),
  ADD CONSTRAINT proposals_external_fingerprint_needs_ref
    CHECK (external_fingerprint IS NULL OR external_ref IS NOT NULL),
  DROP CONSTRAINT proposals_purged_blank,
  ADD CONSTRAINT proposals_purged_blank
    CHECK (personal_data_purged_at IS NULL
           OR (submitter_name IS NULL AND identifier_hash IS NULL
               AND request_fingerprint IS NULL AND request_sha256 IS NULL
               AND external_fingerprint IS NULL));

CREATE UNIQUE INDEX proposals_channel_external_ref ON proposals (channel, external_ref)
  WHERE external_ref IS NOT NULL;

-- Visible proposals without a counted reference, per cell.
ALTER TABLE stats_proposal_daily ADD COLUMN untagged bigint NOT NULL DEFAULT 0;

UPDATE stats_proposal_daily d
   SET untagged = u.n
  FROM (SELECT p.document_id, (p.received_at AT TIME ZONE 'UTC')::date AS day, p.submitter_type,
               p.channel, coalesce(p.language, '') AS language, count(*) AS n
          FROM proposals p
         WHERE p.status = 'visible'
           AND NOT EXISTS (SELECT 1 FROM proposal_articles pa WHERE pa.proposal_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM stats_pending sp WHERE sp.proposal_id = p.id)
         GROUP BY 1, 2, 3, 4, 5) u
 WHERE (d.document_id, d.day, d.submitter_type, d.channel, d.language)
       = (u.document_id, u.day, u.submitter_type, u.channel, u.language);

-- As in 0005, counting untagged proposals too.
CREATE OR REPLACE FUNCTION stats_fold(max_proposals integer) RETURNS integer LANGUAGE plpgsql
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
    (document_id, day, submitter_type, channel, language, proposals, untagged)
  SELECT p.document_id, (p.received_at AT TIME ZONE 'UTC')::date, p.submitter_type, p.channel,
         coalesce(p.language, ''), count(*),
         count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM proposal_articles pa
                                             WHERE pa.proposal_id = p.id))
    FROM proposals p WHERE p.id = ANY (ids) AND p.status = 'visible'
   GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (document_id, day, submitter_type, channel, language) DO UPDATE
     SET proposals = t.proposals + EXCLUDED.proposals,
         untagged = t.untagged + EXCLUDED.untagged;
  RETURN cardinality(ids);
END $$;

-- As in 0005, counting an untagged proposal out or back in too.
CREATE OR REPLACE FUNCTION stats_on_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
       AND t.language = coalesce(NEW.language, '') AND t.proposals = 0
       AND t.article_id IN (SELECT article_id FROM proposal_articles WHERE proposal_id = NEW.id);
  END IF;
  RETURN NULL;
END $$;

-- As in 0005, with the untagged count of each cell; a pending proposal is untagged when it has
-- no reference.
CREATE OR REPLACE VIEW stats_proposal_daily_live AS
SELECT document_id, day, submitter_type, channel, language, proposals, untagged
  FROM stats_proposal_daily
UNION ALL
SELECT p.document_id, p.day, p.submitter_type, p.channel, p.language, 1, p.untagged
  FROM stats_pending s
 CROSS JOIN LATERAL (
       SELECT q.document_id, (q.received_at AT TIME ZONE 'UTC')::date AS day, q.submitter_type,
              q.channel, coalesce(q.language, '') AS language,
              CASE WHEN EXISTS (SELECT 1 FROM proposal_articles pa WHERE pa.proposal_id = q.id)
                   THEN 0 ELSE 1 END AS untagged
         FROM proposals q
        WHERE q.id = s.proposal_id AND q.status = 'visible'
       OFFSET 0) p;

COMMENT ON COLUMN proposals.external_ref IS
  'The proposal''s reference in the channel it came through (an e-Otinish registration number, '
  'a letter''s reference): 1 to 200 printable characters, unique per channel.';
COMMENT ON COLUMN proposals.external_fingerprint IS
  'HMAC-SHA-256, under the server identifier key, of the SHA-256 of what the proposal says '
  '(domain::content_signature); set with an external reference, to tell the same proposal sent '
  'again from another one under the same reference. Blanked by a purge of personal data.';
COMMENT ON INDEX proposals_channel_external_ref IS
  'One proposal per channel and external reference.';
COMMENT ON COLUMN stats_proposal_daily.untagged IS
  'Of the cell''s counted proposals, those without any article reference (untagged).';
