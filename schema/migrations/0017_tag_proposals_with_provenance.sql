-- Tagging. Every reference now says where it came from (submitter or staff), and a coder may
-- replace a proposal's references: the statistics follow in the same transaction, the old ones
-- go to the audit log. The service computes article suggestions for every proposal after its
-- commit (suggest_pending marks, like the folds) and stores them with the proposal; the best
-- suggestion of an untagged proposal that reaches the configured threshold is its *estimate*,
-- counted in stats_estimate_daily, which statistics add only when asked to
-- (include_suggested). Suggestions never write references, so a coder's tagging stands.

ALTER TABLE proposal_articles
  ADD COLUMN source text NOT NULL DEFAULT 'submitter' CHECK (source IN ('submitter', 'staff'));

COMMENT ON TABLE proposal_articles IS
  'The confirmed articles each proposal refers to, one row per proposal and article: sent with the proposal (source submitter) or set by staff (source staff). Written by the intake and the imports with the proposal, replaced only by proposal_set_references; never updated. The rules of the dropped foreign keys are checked per statement by proposal_articles_references_exist.';
COMMENT ON COLUMN proposal_articles.source IS
  'Where the reference came from: submitter (sent with the proposal, or in the channel''s record of it) or staff (set by a coder or moderator).';

-- References are deleted only by proposal_set_references, which names the proposal whose
-- references it replaces in a transaction-local setting.
CREATE OR REPLACE FUNCTION proposal_articles_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND current_setting('usynys.replacing_references_of', true) = OLD.proposal_id::text THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'article references of a proposal change only through proposal_set_references'
    USING ERRCODE = 'check_violation';
END $$;

COMMENT ON FUNCTION proposal_articles_immutable() IS
  'Refuses every update of a reference, and every delete but those of proposal_set_references (check_violation).';

CREATE TABLE suggest_pending (
  proposal_id bigint PRIMARY KEY
);

COMMENT ON TABLE suggest_pending IS
  'Proposals whose article suggestions are not computed yet, one mark each. Marked by proposals_mark_pending on insert (and all of them again when the suggestion model or threshold changes); the service computes the suggestions and suggestions_store removes the marks in the same transaction.';

CREATE TABLE proposal_suggestions (
  proposal_id bigint PRIMARY KEY,
  document_id integer NOT NULL,
  received_at timestamptz NOT NULL,
  channel text NOT NULL,
  language text NOT NULL CHECK (language <> ''),
  model text NOT NULL CHECK (model <> ''),
  articles text[] NOT NULL,
  scores real[] NOT NULL,
  untagged boolean NOT NULL,
  estimated text,
  computed_at timestamptz NOT NULL DEFAULT now(),
  CHECK (cardinality(articles) = cardinality(scores)),
  CHECK (estimated IS NULL OR (untagged AND estimated = articles[1]))
);

CREATE INDEX proposal_suggestions_queue
  ON proposal_suggestions (document_id, received_at, proposal_id) WHERE untagged;
CREATE INDEX proposal_suggestions_estimated
  ON proposal_suggestions (document_id, estimated, received_at) WHERE estimated IS NOT NULL;

COMMENT ON TABLE proposal_suggestions IS
  'The article suggestions of each proposal, best first, and whether it is untagged (no confirmed reference) and so in the tagging queue. Written by suggestions_store; untagged and estimated follow proposal_set_references in its transaction.';
COMMENT ON COLUMN proposal_suggestions.proposal_id IS 'The proposal.';
COMMENT ON COLUMN proposal_suggestions.document_id IS 'Its document (copied: the queue is read by it).';
COMMENT ON COLUMN proposal_suggestions.received_at IS 'Its received_at (copied: the queue is ordered by it).';
COMMENT ON COLUMN proposal_suggestions.channel IS 'Its channel (copied: the queue is filtered by it).';
COMMENT ON COLUMN proposal_suggestions.language IS 'The language the text was matched in: the proposal''s own, else the one detected.';
COMMENT ON COLUMN proposal_suggestions.model IS 'The method and version that computed the suggestions (match::kSuggestModel).';
COMMENT ON COLUMN proposal_suggestions.articles IS 'Article ids of the document, best first.';
COMMENT ON COLUMN proposal_suggestions.scores IS 'Their scores in [0, 1], in the same order.';
COMMENT ON COLUMN proposal_suggestions.untagged IS 'True while the proposal has no confirmed reference.';
COMMENT ON COLUMN proposal_suggestions.estimated IS 'The best article while the proposal is untagged and its score reaches the threshold of tagging_settings: the proposal''s estimate, counted in stats_estimate_daily while the proposal is visible; NULL otherwise.';
COMMENT ON COLUMN proposal_suggestions.computed_at IS 'When the suggestions were computed.';

CREATE TABLE tagging_settings (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  model text NOT NULL CHECK (model <> ''),
  threshold real NOT NULL CHECK (threshold BETWEEN 0 AND 1),
  changed_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE tagging_settings IS
  'The suggestion model and estimate threshold the stored suggestions were computed with, one row. The service compares them with its own at start and, when either differs, marks every proposal again (tagging_configure).';
COMMENT ON COLUMN tagging_settings.only_row IS 'Always true: the table holds one row.';
COMMENT ON COLUMN tagging_settings.model IS 'match::kSuggestModel of the service that set it.';
COMMENT ON COLUMN tagging_settings.threshold IS 'The score from which the best suggestion of an untagged proposal is its estimate (tagging.estimate_threshold).';
COMMENT ON COLUMN tagging_settings.changed_at IS 'When they were set.';

CREATE TABLE stats_estimate_daily (
  document_id integer NOT NULL,
  day date NOT NULL,
  submitter_type text NOT NULL,
  channel text NOT NULL,
  language text NOT NULL,
  article_id text NOT NULL,
  proposals bigint NOT NULL,
  first_at timestamptz,
  last_at timestamptz,
  PRIMARY KEY (document_id, day, submitter_type, channel, language, article_id)
);

COMMENT ON TABLE stats_estimate_daily IS
  'Count of visible untagged proposals per estimated article (proposal_suggestions.estimated), UTC day, submitter type, channel and language, the source of statistics with include_suggested. Each such proposal counts for exactly one article. Written only by the tagging functions; cells are never deleted and may hold 0.';
COMMENT ON COLUMN stats_estimate_daily.document_id IS 'The document.';
COMMENT ON COLUMN stats_estimate_daily.day IS 'UTC day of received_at.';
COMMENT ON COLUMN stats_estimate_daily.submitter_type IS 'Submitter type of the proposals.';
COMMENT ON COLUMN stats_estimate_daily.channel IS 'Their channel.';
COMMENT ON COLUMN stats_estimate_daily.language IS 'Their given language, '''' when none was given.';
COMMENT ON COLUMN stats_estimate_daily.article_id IS 'The estimated article.';
COMMENT ON COLUMN stats_estimate_daily.proposals IS 'How many proposals.';
COMMENT ON COLUMN stats_estimate_daily.first_at IS 'Earliest received_at among them; NULL when none.';
COMMENT ON COLUMN stats_estimate_daily.last_at IS 'Latest received_at among them; NULL when none.';

CREATE OR REPLACE FUNCTION proposals_mark_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_pending (proposal_id) SELECT id FROM new_proposals;
  INSERT INTO search_pending (proposal_id) SELECT id FROM new_proposals;
  INSERT INTO suggest_pending (proposal_id) SELECT id FROM new_proposals;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION proposals_mark_pending() IS
  'Marks the proposals a statement inserted as pending for the statistics fold, the search fold and the suggestions.';

CREATE OR REPLACE FUNCTION search_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE proposal_search, search_pending, proposal_suggestions, suggest_pending,
           stats_estimate_daily;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION search_reset() IS
  'Empties what is computed from the proposals'' texts when proposals are emptied: the stored vectors, the suggestions, the estimates and their marks.';

-- Adds sign to the estimate cells of the given proposals (each counted for its estimated
-- article); with sign -1, recomputes first_at and last_at of the cells where a given proposal
-- held them. Call it after the change that makes the proposals count or stop counting.
CREATE FUNCTION stats_estimate_apply(ids bigint[], arts text[], sign integer) RETURNS void
LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  INSERT INTO stats_estimate_daily AS t
    (document_id, day, submitter_type, channel, language, article_id, proposals, first_at,
     last_at)
  SELECT p.document_id, (p.received_at AT TIME ZONE 'UTC')::date, p.submitter_type, p.channel,
         coalesce(p.language, ''), x.article_id, sign * count(*), min(p.received_at),
         max(p.received_at)
    FROM unnest(ids, arts) AS x (proposal_id, article_id)
    JOIN proposals p ON p.id = x.proposal_id
   GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (document_id, day, submitter_type, channel, language, article_id) DO UPDATE
     SET proposals = t.proposals + EXCLUDED.proposals,
         first_at = CASE WHEN sign > 0 THEN least(t.first_at, EXCLUDED.first_at) ELSE t.first_at END,
         last_at = CASE WHEN sign > 0 THEN greatest(t.last_at, EXCLUDED.last_at) ELSE t.last_at END;
  IF sign > 0 THEN
    RETURN;
  END IF;
  UPDATE stats_estimate_daily t
     SET first_at = b.first_at, last_at = b.last_at
    FROM (SELECT c.document_id, c.day, c.submitter_type, c.channel, c.language, c.article_id,
                 (SELECT min(q.received_at) FROM proposal_suggestions s
                    JOIN proposals q ON q.id = s.proposal_id
                   WHERE s.document_id = c.document_id AND s.estimated = c.article_id
                     AND s.received_at >= c.day::timestamp AT TIME ZONE 'UTC'
                     AND s.received_at < (c.day + 1)::timestamp AT TIME ZONE 'UTC'
                     AND q.status = 'visible' AND q.submitter_type = c.submitter_type
                     AND q.channel = c.channel AND coalesce(q.language, '') = c.language
                     AND q.id <> ALL (ids)) AS first_at,
                 (SELECT max(q.received_at) FROM proposal_suggestions s
                    JOIN proposals q ON q.id = s.proposal_id
                   WHERE s.document_id = c.document_id AND s.estimated = c.article_id
                     AND s.received_at >= c.day::timestamp AT TIME ZONE 'UTC'
                     AND s.received_at < (c.day + 1)::timestamp AT TIME ZONE 'UTC'
                     AND q.status = 'visible' AND q.submitter_type = c.submitter_type
                     AND q.channel = c.channel AND coalesce(q.language, '') = c.language
                     AND q.id <> ALL (ids)) AS last_at
            FROM (SELECT DISTINCT p.document_id, (p.received_at AT TIME ZONE 'UTC')::date AS day,
                         p.submitter_type, p.channel, coalesce(p.language, '') AS language,
                         x.article_id
                    FROM unnest(ids, arts) AS x (proposal_id, article_id)
                    JOIN proposals p ON p.id = x.proposal_id) c) b
   WHERE t.document_id = b.document_id AND t.day = b.day AND t.submitter_type = b.submitter_type
     AND t.channel = b.channel AND t.language = b.language AND t.article_id = b.article_id;
END $$;

COMMENT ON FUNCTION stats_estimate_apply(bigint[], text[], integer) IS
  'Adds sign (1 or -1) to the estimate cells of the proposals given with their estimated articles as parallel arrays; counting out, it recomputes first_at and last_at of their cells from the visible estimated proposals left. Called after the change.';

-- first_at and last_at of the cells a folded proposal was counted in through the given articles,
-- recomputed from the folded visible references that are left (it no longer counts: hidden, or
-- the references removed). Where no proposal is left, both become NULL.
CREATE FUNCTION stats_refresh_bounds(p proposals, arts text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  cell_day date := (p.received_at AT TIME ZONE 'UTC')::date;
BEGIN
  UPDATE stats_article_totals t
     SET first_at = r.first_at, last_at = r.last_at
    FROM (SELECT pa.article_id, min(q.received_at) AS first_at, max(q.received_at) AS last_at
            FROM proposal_articles pa JOIN proposals q ON q.id = pa.proposal_id
           WHERE pa.document_id = p.document_id AND q.status = 'visible'
             AND NOT EXISTS (SELECT 1 FROM stats_pending sp WHERE sp.proposal_id = q.id)
             AND q.submitter_type = p.submitter_type
             AND pa.article_id IN (SELECT c.article_id
                                     FROM stats_article_totals c
                                    WHERE c.document_id = p.document_id
                                      AND c.submitter_type = p.submitter_type
                                      AND c.article_id = ANY (arts) AND c.proposals > 0
                                      AND p.received_at IN (c.first_at, c.last_at))
           GROUP BY pa.article_id) r
   WHERE t.document_id = p.document_id AND t.submitter_type = p.submitter_type
     AND t.article_id = r.article_id;
  UPDATE stats_article_totals t SET first_at = NULL, last_at = NULL
   WHERE t.document_id = p.document_id AND t.submitter_type = p.submitter_type
     AND t.proposals = 0 AND t.article_id = ANY (arts);
  -- The proposals of the cell's day, through the (document_id, received_at) index: a day holds
  -- far fewer than an article does.
  IF EXISTS (SELECT 1 FROM stats_article_daily c
              WHERE c.document_id = p.document_id AND c.day = cell_day
                AND c.submitter_type = p.submitter_type AND c.channel = p.channel
                AND c.language = coalesce(p.language, '') AND c.article_id = ANY (arts)
                AND c.proposals > 0 AND p.received_at IN (c.first_at, c.last_at)) THEN
    WITH same_day AS MATERIALIZED (
      SELECT q.id, q.received_at FROM proposals q
       WHERE q.document_id = p.document_id
         AND q.received_at >= cell_day::timestamp AT TIME ZONE 'UTC'
         AND q.received_at < (cell_day + 1)::timestamp AT TIME ZONE 'UTC'
         AND q.status = 'visible' AND q.submitter_type = p.submitter_type
         AND q.channel = p.channel AND coalesce(q.language, '') = coalesce(p.language, '')
         AND NOT EXISTS (SELECT 1 FROM stats_pending sp WHERE sp.proposal_id = q.id))
    UPDATE stats_article_daily t
       SET first_at = r.first_at, last_at = r.last_at
      FROM (SELECT pa.article_id, min(d.received_at) AS first_at, max(d.received_at) AS last_at
              FROM same_day d JOIN proposal_articles pa ON pa.proposal_id = d.id
             WHERE pa.article_id = ANY (arts)
             GROUP BY pa.article_id) r
     WHERE t.document_id = p.document_id AND t.day = cell_day
       AND t.submitter_type = p.submitter_type AND t.channel = p.channel
       AND t.language = coalesce(p.language, '') AND t.article_id = r.article_id
       AND p.received_at IN (t.first_at, t.last_at);
  END IF;
  UPDATE stats_article_daily t SET first_at = NULL, last_at = NULL
   WHERE t.document_id = p.document_id AND t.day = cell_day
     AND t.submitter_type = p.submitter_type AND t.channel = p.channel
     AND t.language = coalesce(p.language, '') AND t.proposals = 0
     AND t.article_id = ANY (arts);
END $$;

COMMENT ON FUNCTION stats_refresh_bounds(proposals, text[]) IS
  'Recomputes first_at and last_at of the aggregate cells where the proposal, now no longer counted through the given articles, held the earliest or latest time; from the folded visible references left, NULL where none is left.';

CREATE OR REPLACE FUNCTION stats_on_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign integer := CASE WHEN NEW.status = 'visible' THEN 1 ELSE -1 END;
  cell_day date := (NEW.received_at AT TIME ZONE 'UTC')::date;
  untagged integer;
  estimate text;
  arts text[];
BEGIN
  -- The estimate is counted apart from the fold: it follows the status at once.
  SELECT s.estimated INTO estimate FROM proposal_suggestions s
   WHERE s.proposal_id = NEW.id AND s.estimated IS NOT NULL;
  IF estimate IS NOT NULL THEN
    PERFORM stats_estimate_apply(ARRAY[NEW.id], ARRAY[estimate], sign);
  END IF;
  IF EXISTS (SELECT 1 FROM stats_pending WHERE proposal_id = NEW.id) THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(pa.article_id) INTO arts FROM proposal_articles pa WHERE pa.proposal_id = NEW.id;
  IF arts IS NOT NULL THEN
    PERFORM stats_apply(array_fill(NEW.id, ARRAY[cardinality(arts)]), arts, sign, true);
  END IF;
  untagged := CASE WHEN arts IS NOT NULL THEN 0 ELSE sign END;
  INSERT INTO stats_proposal_daily AS t
    (document_id, day, submitter_type, channel, language, proposals, untagged)
  VALUES (NEW.document_id, cell_day, NEW.submitter_type, NEW.channel, coalesce(NEW.language, ''),
          sign, untagged)
  ON CONFLICT (document_id, day, submitter_type, channel, language) DO UPDATE
     SET proposals = t.proposals + EXCLUDED.proposals,
         untagged = t.untagged + EXCLUDED.untagged;
  IF sign < 0 AND arts IS NOT NULL THEN
    PERFORM stats_refresh_bounds(NEW, arts);
  END IF;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION stats_on_status_changed() IS
  'Follows a moderation change: the estimate of the proposal, if any, at once; the references of a folded proposal counted out (recomputing first_at and last_at where it held them, stats_refresh_bounds) or back in. The references of a pending proposal are left to its fold.';

-- Replaces the confirmed references of one proposal by staff ones (arts with paragraphs, ''
-- for none; empty arrays: untagged again) and keeps every statistic in step, in the caller's
-- transaction: a folded visible proposal is counted out of its old references' cells and into
-- the new ones (the insert trigger), its untagged cell follows, and its estimate goes or comes
-- back. Returns the old references as a JSON array of {"article","paragraph","source"}, for
-- the audit log. The caller locks the proposal row first (FOR UPDATE).
CREATE FUNCTION proposal_set_references(p_id bigint, arts text[], paragraphs text[])
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  p proposals;
  old_arts text[];
  old_refs jsonb;
  counted boolean;
  now_untagged boolean := cardinality(arts) = 0;
  estimate_before text;
  estimate_after text;
  threshold real;
BEGIN
  SELECT * INTO STRICT p FROM proposals WHERE id = p_id;
  SELECT array_agg(article_id ORDER BY article_id),
         coalesce(jsonb_agg(jsonb_build_object('article', article_id, 'paragraph', paragraph,
                                               'source', source) ORDER BY article_id), '[]')
    INTO old_arts, old_refs
    FROM proposal_articles WHERE proposal_id = p_id;
  counted := p.status = 'visible'
             AND NOT EXISTS (SELECT 1 FROM stats_pending WHERE proposal_id = p_id);
  IF counted AND old_arts IS NOT NULL THEN
    PERFORM stats_apply(array_fill(p_id, ARRAY[cardinality(old_arts)]), old_arts, -1, true);
  END IF;
  PERFORM set_config('usynys.replacing_references_of', p_id::text, true);
  DELETE FROM proposal_articles WHERE proposal_id = p_id;
  PERFORM set_config('usynys.replacing_references_of', '', true);
  IF counted AND old_arts IS NOT NULL THEN
    PERFORM stats_refresh_bounds(p, old_arts);
  END IF;
  INSERT INTO proposal_articles (proposal_id, document_id, article_id, paragraph, source)
  SELECT p_id, p.document_id, x.article_id, nullif(x.paragraph, ''), 'staff'
    FROM unnest(arts, paragraphs) AS x (article_id, paragraph);
  IF counted AND (old_arts IS NULL) <> now_untagged THEN
    INSERT INTO stats_proposal_daily AS t
      (document_id, day, submitter_type, channel, language, proposals, untagged)
    VALUES (p.document_id, (p.received_at AT TIME ZONE 'UTC')::date, p.submitter_type, p.channel,
            coalesce(p.language, ''), 0, CASE WHEN now_untagged THEN 1 ELSE -1 END)
    ON CONFLICT (document_id, day, submitter_type, channel, language) DO UPDATE
       SET untagged = t.untagged + EXCLUDED.untagged;
  END IF;
  SELECT s.threshold INTO threshold FROM tagging_settings s;
  SELECT s.estimated INTO estimate_before FROM proposal_suggestions s WHERE s.proposal_id = p_id;
  UPDATE proposal_suggestions s
     SET untagged = now_untagged,
         estimated = CASE WHEN now_untagged AND cardinality(s.articles) > 0
                           AND s.scores[1] >= threshold THEN s.articles[1] END
   WHERE s.proposal_id = p_id
  RETURNING s.estimated INTO estimate_after;
  IF p.status = 'visible' AND estimate_before IS DISTINCT FROM estimate_after THEN
    IF estimate_before IS NOT NULL THEN
      PERFORM stats_estimate_apply(ARRAY[p_id], ARRAY[estimate_before], -1);
    END IF;
    IF estimate_after IS NOT NULL THEN
      PERFORM stats_estimate_apply(ARRAY[p_id], ARRAY[estimate_after], 1);
    END IF;
  END IF;
  RETURN old_refs;
END $$;

COMMENT ON FUNCTION proposal_set_references(bigint, text[], text[]) IS
  'Replaces the confirmed references of a proposal by staff ones and keeps the aggregates, the untagged count, the tagging queue and the estimates in step in the same transaction; returns the old references (JSON) for the audit log. The caller locks the proposal first.';

-- Stores the suggestions the service computed for a batch of pending proposals and removes
-- their marks: rows is a JSON array of {"id","language","articles":[ids],"scores":[numbers]}.
-- Each proposal is locked (FOR SHARE) first, so that a replacement of its references or a
-- status change either finishes before (and is seen here) or waits. Proposals gone since are
-- skipped. Returns how many were stored.
CREATE FUNCTION suggestions_store(rows jsonb, model text) RETURNS integer
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
  ids bigint[];
  threshold real;
  stored integer;
  gone_ids bigint[];
  gone_arts text[];
  new_ids bigint[];
  new_arts text[];
BEGIN
  SELECT array_agg((r ->> 'id')::bigint ORDER BY (r ->> 'id')::bigint) INTO ids
    FROM jsonb_array_elements(rows) r;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;
  SELECT s.threshold INTO STRICT threshold FROM tagging_settings s;
  PERFORM 1 FROM proposals WHERE id = ANY (ids) ORDER BY id FOR SHARE;
  DELETE FROM suggest_pending WHERE proposal_id = ANY (ids);
  -- Estimates that a recomputation replaces are counted out first.
  SELECT array_agg(s.proposal_id), array_agg(s.estimated) INTO gone_ids, gone_arts
    FROM proposal_suggestions s JOIN proposals p ON p.id = s.proposal_id
   WHERE s.proposal_id = ANY (ids) AND s.estimated IS NOT NULL AND p.status = 'visible';
  WITH given AS (
    SELECT (r ->> 'id')::bigint AS id, r ->> 'language' AS language,
           ARRAY(SELECT jsonb_array_elements_text(r -> 'articles')) AS articles,
           ARRAY(SELECT x::real FROM jsonb_array_elements_text(r -> 'scores') x) AS scores
      FROM jsonb_array_elements(rows) r
  ), one AS (
    SELECT g.*, p.document_id, p.received_at, p.channel,
           NOT EXISTS (SELECT 1 FROM proposal_articles pa WHERE pa.proposal_id = g.id) AS untagged
      FROM given g JOIN proposals p ON p.id = g.id
  )
  INSERT INTO proposal_suggestions AS s
    (proposal_id, document_id, received_at, channel, language, model, articles, scores,
     untagged, estimated)
  SELECT o.id, o.document_id, o.received_at, o.channel, o.language, model, o.articles, o.scores,
         o.untagged,
         CASE WHEN o.untagged AND cardinality(o.articles) > 0 AND o.scores[1] >= threshold
              THEN o.articles[1] END
    FROM one o ORDER BY o.id
  ON CONFLICT (proposal_id) DO UPDATE
     SET language = EXCLUDED.language, model = EXCLUDED.model, articles = EXCLUDED.articles,
         scores = EXCLUDED.scores, untagged = EXCLUDED.untagged, estimated = EXCLUDED.estimated,
         computed_at = now();
  GET DIAGNOSTICS stored = ROW_COUNT;
  IF gone_ids IS NOT NULL THEN
    PERFORM stats_estimate_apply(gone_ids, gone_arts, -1);
  END IF;
  SELECT array_agg(s.proposal_id), array_agg(s.estimated) INTO new_ids, new_arts
    FROM proposal_suggestions s JOIN proposals p ON p.id = s.proposal_id
   WHERE s.proposal_id = ANY (ids) AND s.estimated IS NOT NULL AND p.status = 'visible';
  IF new_ids IS NOT NULL THEN
    PERFORM stats_estimate_apply(new_ids, new_arts, 1);
  END IF;
  RETURN stored;
END $$;

COMMENT ON FUNCTION suggestions_store(jsonb, text) IS
  'Stores the suggestions the service computed for pending proposals (JSON array of {"id","language","articles","scores"}), sets untagged and the estimate of each, counts the estimates of visible ones, and removes the marks; returns how many were stored. Called by the service suggester thread.';

-- Called by the service at start with its model and threshold: when they differ from the
-- stored ones (or none are stored), records them and marks every proposal for new suggestions.
-- Returns whether it did. An advisory lock makes several servers starting together agree.
CREATE FUNCTION tagging_configure(new_model text, new_threshold real) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  current tagging_settings;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('usynys.tagging_configure'));
  SELECT * INTO current FROM tagging_settings;
  IF FOUND AND current.model = new_model AND current.threshold = new_threshold THEN
    RETURN false;
  END IF;
  INSERT INTO tagging_settings (model, threshold) VALUES (new_model, new_threshold)
  ON CONFLICT (only_row) DO UPDATE
     SET model = EXCLUDED.model, threshold = EXCLUDED.threshold, changed_at = now();
  INSERT INTO suggest_pending (proposal_id) SELECT id FROM proposals ON CONFLICT DO NOTHING;
  RETURN true;
END $$;

COMMENT ON FUNCTION tagging_configure(text, real) IS
  'Records the service''s suggestion model and estimate threshold; when they changed, marks every proposal for new suggestions and returns true.';

ALTER TABLE audit_log
  DROP CONSTRAINT audit_log_action_check,
  ADD CONSTRAINT audit_log_action_check CHECK (action IN ('moderation', 'article_map', 'articles')),
  ADD CONSTRAINT audit_log_articles_check
    CHECK (action <> 'articles' OR (proposal_id IS NOT NULL AND subject IS NULL));

COMMENT ON TABLE audit_log IS
  'Append-only log of staff changes: who changed what, from what to what, when and why. Moderation (a proposal''s status), article_map (a confirmed pair of an article map) and articles (a proposal''s confirmed references, replaced by staff). Written in the same transaction as the change; rows are never updated or deleted and the table is never truncated.';
COMMENT ON COLUMN audit_log.action IS 'What was changed: moderation, article_map or articles.';
COMMENT ON COLUMN audit_log.proposal_id IS 'The proposal moderated or tagged; NULL for article_map.';
COMMENT ON COLUMN audit_log.from_status IS 'The value before: the status for moderation; the predecessors in force (JSON array) for article_map; the references (JSON array of {"article","paragraph","source"}) for articles.';

-- Coders read like analysts and tag proposals.
ALTER TABLE api_tokens
  DROP CONSTRAINT api_tokens_role_check,
  ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('analyst', 'coder', 'moderator', 'admin'));

COMMENT ON COLUMN api_tokens.role IS 'What the token may do: analyst, coder, moderator or admin.';
