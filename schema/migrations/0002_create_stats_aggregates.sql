-- Statistics aggregates, kept in the same transaction as the rows they count (statement-level
-- triggers), so that a committed proposal is already counted and several servers on one
-- database agree. Only visible proposals count. Cells are never deleted: a count may be 0.

-- Per article and submitter type, all time: the unfiltered statistics.
CREATE TABLE stats_article_totals (
  document_id    integer NOT NULL,
  article_id     text NOT NULL,
  submitter_type text NOT NULL,
  proposals      bigint NOT NULL,
  first_at       timestamptz,
  last_at        timestamptz,
  PRIMARY KEY (document_id, article_id, submitter_type),
  FOREIGN KEY (document_id, article_id) REFERENCES articles (document_id, article_id)
);

-- Per article, UTC day, submitter type, channel and language ('' when none): filtered statistics.
CREATE TABLE stats_article_daily (
  document_id    integer NOT NULL,
  article_id     text NOT NULL,
  day            date NOT NULL,
  submitter_type text NOT NULL,
  channel        text NOT NULL,
  language       text NOT NULL,
  proposals      bigint NOT NULL,
  first_at       timestamptz,
  last_at        timestamptz,
  PRIMARY KEY (document_id, day, submitter_type, channel, language, article_id),
  FOREIGN KEY (document_id, article_id) REFERENCES articles (document_id, article_id)
);

-- Proposals referencing a section (each proposal once per section) per UTC day, submitter type,
-- channel and language.
CREATE TABLE stats_section_daily (
  document_id    integer NOT NULL,
  section_number integer NOT NULL,
  day            date NOT NULL,
  submitter_type text NOT NULL,
  channel        text NOT NULL,
  language       text NOT NULL,
  proposals      bigint NOT NULL,
  PRIMARY KEY (document_id, day, submitter_type, channel, language, section_number),
  FOREIGN KEY (document_id, section_number) REFERENCES sections (document_id, number)
);

-- Proposals (each once) per UTC day, submitter type, channel and language.
CREATE TABLE stats_proposal_daily (
  document_id    integer NOT NULL REFERENCES documents (id),
  day            date NOT NULL,
  submitter_type text NOT NULL,
  channel        text NOT NULL,
  language       text NOT NULL,
  proposals      bigint NOT NULL,
  PRIMARY KEY (document_id, day, submitter_type, channel, language)
);

-- Adds `sign` (1 or -1) to every cell counting the article references given as the parallel
-- arrays ids (proposals) and arts (their articles). A section counts a proposal once: a reference
-- into a section where the proposal already has an older reference does not count it again.
-- Static statements, so that their plans are cached per connection; cells are locked in key
-- order.
CREATE FUNCTION stats_apply(ids bigint[], arts text[], sign integer) RETURNS void
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
   WHERE NOT EXISTS (
           SELECT 1
             FROM proposal_articles older
             JOIN articles oa ON oa.document_id = older.document_id
                             AND oa.article_id = older.article_id
            WHERE older.proposal_id = r.id AND oa.section_number = r.section_number
              AND NOT EXISTS (SELECT 1 FROM x
                               WHERE x.proposal_id = older.proposal_id
                                 AND x.article_id = older.article_id))
   GROUP BY r.document_id, r.day, r.submitter_type, r.channel, r.language, r.section_number
   ORDER BY r.document_id, r.day, r.submitter_type, r.channel, r.language, r.section_number
  ON CONFLICT (document_id, day, submitter_type, channel, language, section_number) DO UPDATE
     SET proposals = t.proposals + EXCLUDED.proposals;
END $$;

-- New article references of visible proposals are counted in.
CREATE FUNCTION stats_on_articles_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM stats_apply(array_agg(n.proposal_id), array_agg(n.article_id), 1)
     FROM new_refs n
     JOIN proposals p ON p.id = n.proposal_id AND p.status = 'visible';
  RETURN NULL;
END $$;

CREATE TRIGGER stats_articles_inserted AFTER INSERT ON proposal_articles
  REFERENCING NEW TABLE AS new_refs FOR EACH STATEMENT EXECUTE FUNCTION stats_on_articles_inserted();

-- New visible proposals are counted once each.
CREATE FUNCTION stats_on_proposals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_proposal_daily AS t
    (document_id, day, submitter_type, channel, language, proposals)
  SELECT document_id, (received_at AT TIME ZONE 'UTC')::date, submitter_type, channel,
         coalesce(language, ''), count(*)
    FROM new_proposals WHERE status = 'visible'
   GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (document_id, day, submitter_type, channel, language) DO UPDATE
     SET proposals = t.proposals + EXCLUDED.proposals;
  RETURN NULL;
END $$;

CREATE TRIGGER stats_proposals_inserted AFTER INSERT ON proposals
  REFERENCING NEW TABLE AS new_proposals FOR EACH STATEMENT
  EXECUTE FUNCTION stats_on_proposals_inserted();

-- Moderation: hiding counts a proposal out, showing it again counts it back in. The first and
-- last times of the affected cells are recomputed from the visible proposals.
CREATE FUNCTION stats_on_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign integer := CASE WHEN NEW.status = 'visible' THEN 1 ELSE -1 END;
  cell_day date := (NEW.received_at AT TIME ZONE 'UTC')::date;
BEGIN
  PERFORM stats_apply(array_agg(pa.proposal_id), array_agg(pa.article_id), sign)
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

CREATE TRIGGER stats_status_changed AFTER UPDATE OF status ON proposals
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION stats_on_status_changed();

-- The attributes that aggregates are keyed by never change after insert.
CREATE FUNCTION proposals_keep_counted_fields() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.document_id, NEW.submitter_type, NEW.channel, NEW.language, NEW.received_at)
     IS DISTINCT FROM
     (OLD.document_id, OLD.submitter_type, OLD.channel, OLD.language, OLD.received_at) THEN
    RAISE EXCEPTION 'the counted fields of proposal % cannot change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER proposals_counted_fields BEFORE UPDATE ON proposals
  FOR EACH ROW EXECUTE FUNCTION proposals_keep_counted_fields();

CREATE FUNCTION proposal_articles_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'article references of a proposal never change; hide the proposal instead'
    USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER proposal_articles_no_change BEFORE UPDATE OR DELETE ON proposal_articles
  FOR EACH ROW EXECUTE FUNCTION proposal_articles_immutable();

-- Acknowledged proposals are never deleted (hide them); emptying the tables resets the counts.
CREATE FUNCTION proposals_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'proposals are never deleted; hide them instead'
    USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER proposals_no_delete BEFORE DELETE ON proposals
  FOR EACH ROW EXECUTE FUNCTION proposals_no_delete();

CREATE FUNCTION stats_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE stats_article_totals, stats_article_daily, stats_section_daily, stats_proposal_daily;
  RETURN NULL;
END $$;

CREATE TRIGGER stats_reset_on_truncate AFTER TRUNCATE ON proposals
  FOR EACH STATEMENT EXECUTE FUNCTION stats_reset();

-- Count what is already stored.
SELECT stats_apply(array_agg(pa.proposal_id), array_agg(pa.article_id), 1)
  FROM proposal_articles pa JOIN proposals p ON p.id = pa.proposal_id AND p.status = 'visible';
INSERT INTO stats_proposal_daily (document_id, day, submitter_type, channel, language, proposals)
SELECT document_id, (received_at AT TIME ZONE 'UTC')::date, submitter_type, channel,
       coalesce(language, ''), count(*)
  FROM proposals WHERE status = 'visible'
 GROUP BY 1, 2, 3, 4, 5;
