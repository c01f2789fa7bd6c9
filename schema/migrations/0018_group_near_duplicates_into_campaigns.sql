-- Campaigns. Proposals whose texts are near-duplicates (a form letter sent many times, lightly
-- edited) are grouped into a campaign after their commit: an insert marks each proposal
-- (campaign_pending, like the folds); the service computes the text's signature (an exact hash
-- of its normalised words, a MinHash and its LSH band keys), looks its band keys up, verifies
-- the candidates by their estimated Jaccard similarity and stores its decision with
-- campaigns_store(), which also removes the marks. A campaign counts each of its visible members
-- in campaign_cells, campaign_article_counts and campaign_section_counts, so that statistics can
-- count a campaign once (proposals_unique) from the aggregates. Moderation and staff tagging keep
-- these counts in step in their own transactions; they take the detector's lock in shared mode,
-- so that neither sees the other half done.

CREATE TABLE campaign_pending (
  proposal_id bigint PRIMARY KEY
);

COMMENT ON TABLE campaign_pending IS
  'Proposals not yet compared with earlier ones for campaigns, one mark each. Marked by proposals_mark_pending on insert; the service computes their signatures and campaigns_store removes the marks in the same transaction.';

CREATE TABLE campaign_signatures (
  proposal_id bigint PRIMARY KEY,
  document_id integer NOT NULL,
  exact bigint NOT NULL,
  minhash bytea NOT NULL
);

CREATE INDEX campaign_signatures_exact ON campaign_signatures (document_id, exact);

COMMENT ON TABLE campaign_signatures IS
  'The signature of each compared proposal''s text: written once by campaigns_store.';
COMMENT ON COLUMN campaign_signatures.proposal_id IS 'The proposal.';
COMMENT ON COLUMN campaign_signatures.document_id IS 'Its document: campaigns never cross documents.';
COMMENT ON COLUMN campaign_signatures.exact IS
  'Hash of the normalised words of the text: equal for exact duplicates (up to case, spacing, punctuation and numbers).';
COMMENT ON COLUMN campaign_signatures.minhash IS
  'The MinHash of the text''s word shingles, the low 16 bits of each value, big-endian: the share of equal positions estimates the Jaccard similarity of two texts.';

CREATE TABLE campaign_bands (
  key bigint PRIMARY KEY,
  proposal_id bigint NOT NULL
);

COMMENT ON TABLE campaign_bands IS
  'One row per LSH band key seen: the first proposal whose signature had it. A new text''s candidates are the proposals holding its keys; a key already held is not stored again.';
COMMENT ON COLUMN campaign_bands.key IS 'Hash of the document, the band''s index and its rows.';
COMMENT ON COLUMN campaign_bands.proposal_id IS 'The first proposal with this key.';

CREATE TABLE campaigns (
  id bigserial PRIMARY KEY,
  document_id integer NOT NULL,
  representative_id bigint NOT NULL,
  members_total integer NOT NULL CHECK (members_total >= 0),
  size integer NOT NULL CHECK (size >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX campaigns_by_size ON campaigns (document_id, size DESC, id);

COMMENT ON TABLE campaigns IS
  'Groups of near-duplicate proposals of one document. Created and merged only by campaigns_store; a merge keeps the larger campaign and deletes the other.';
COMMENT ON COLUMN campaigns.id IS 'Identifier.';
COMMENT ON COLUMN campaigns.document_id IS 'The document of every member.';
COMMENT ON COLUMN campaigns.representative_id IS
  'The member shown for the whole campaign: its earliest member when it was formed (of the larger campaign after a merge).';
COMMENT ON COLUMN campaigns.members_total IS 'Members, hidden ones included.';
COMMENT ON COLUMN campaigns.size IS 'Visible members: what statistics count.';
COMMENT ON COLUMN campaigns.created_at IS 'When it was formed.';

CREATE TABLE campaign_members (
  proposal_id bigint PRIMARY KEY,
  campaign_id bigint NOT NULL REFERENCES campaigns (id),
  document_id integer NOT NULL
);

CREATE INDEX campaign_members_by_campaign ON campaign_members (campaign_id, proposal_id);

COMMENT ON TABLE campaign_members IS
  'The campaign of each proposal that is in one (a proposal in none has no row).';
COMMENT ON COLUMN campaign_members.proposal_id IS 'The proposal.';
COMMENT ON COLUMN campaign_members.campaign_id IS 'Its campaign.';
COMMENT ON COLUMN campaign_members.document_id IS 'Its document, for filtering by document.';

CREATE TABLE campaign_cells (
  campaign_id bigint NOT NULL,
  submitter_type text NOT NULL,
  channel text NOT NULL,
  members integer NOT NULL,
  first_at timestamptz,
  last_at timestamptz,
  PRIMARY KEY (campaign_id, submitter_type, channel)
);

COMMENT ON TABLE campaign_cells IS
  'Visible members of each campaign per submitter type and channel, with their first and last time: the source of the public campaign statistic. Cells may hold 0 (times NULL).';
COMMENT ON COLUMN campaign_cells.campaign_id IS 'The campaign.';
COMMENT ON COLUMN campaign_cells.submitter_type IS 'Submitter type of the members.';
COMMENT ON COLUMN campaign_cells.channel IS 'Their channel.';
COMMENT ON COLUMN campaign_cells.members IS 'How many visible members.';
COMMENT ON COLUMN campaign_cells.first_at IS 'Earliest received_at among them; NULL when none.';
COMMENT ON COLUMN campaign_cells.last_at IS 'Latest received_at among them; NULL when none.';

CREATE TABLE campaign_article_counts (
  campaign_id bigint NOT NULL,
  document_id integer NOT NULL,
  article_id text NOT NULL,
  members integer NOT NULL,
  PRIMARY KEY (campaign_id, article_id)
);

CREATE INDEX campaign_article_counts_by_document ON campaign_article_counts (document_id);

COMMENT ON TABLE campaign_article_counts IS
  'Visible members of each campaign that reference each article (confirmed references): a campaign with m such members counts m - 1 proposals too many for the article.';
COMMENT ON COLUMN campaign_article_counts.campaign_id IS 'The campaign.';
COMMENT ON COLUMN campaign_article_counts.document_id IS 'Its document.';
COMMENT ON COLUMN campaign_article_counts.article_id IS 'The article.';
COMMENT ON COLUMN campaign_article_counts.members IS 'How many visible members reference it.';

CREATE TABLE campaign_section_counts (
  campaign_id bigint NOT NULL,
  document_id integer NOT NULL,
  section_number integer NOT NULL,
  members integer NOT NULL,
  PRIMARY KEY (campaign_id, section_number)
);

CREATE INDEX campaign_section_counts_by_document ON campaign_section_counts (document_id);

COMMENT ON TABLE campaign_section_counts IS
  'Visible members of each campaign that reference an article of each section, each member once per section.';
COMMENT ON COLUMN campaign_section_counts.campaign_id IS 'The campaign.';
COMMENT ON COLUMN campaign_section_counts.document_id IS 'Its document.';
COMMENT ON COLUMN campaign_section_counts.section_number IS 'The section.';
COMMENT ON COLUMN campaign_section_counts.members IS 'How many visible members reference it.';

CREATE OR REPLACE FUNCTION proposals_mark_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_pending (proposal_id) SELECT id FROM new_proposals;
  INSERT INTO search_pending (proposal_id) SELECT id FROM new_proposals;
  INSERT INTO suggest_pending (proposal_id) SELECT id FROM new_proposals;
  INSERT INTO campaign_pending (proposal_id) SELECT id FROM new_proposals;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION proposals_mark_pending() IS
  'Marks the proposals a statement inserted as pending for the statistics fold, the search fold, the suggestions and the campaigns.';

CREATE OR REPLACE FUNCTION search_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE proposal_search, search_pending, proposal_suggestions, suggest_pending,
           stats_estimate_daily, campaign_pending, campaign_signatures, campaign_bands,
           campaign_members, campaigns, campaign_cells, campaign_article_counts,
           campaign_section_counts;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION search_reset() IS
  'Empties what is computed from the proposals'' texts when proposals are emptied: the stored vectors, the suggestions, the estimates, the campaigns and their marks.';

-- The lock campaigns_store holds exclusively and every other writer of the campaign counts in
-- shared mode.
CREATE FUNCTION campaign_lock_key() RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT 7547128903215580417::bigint
$$;

COMMENT ON FUNCTION campaign_lock_key() IS
  'The advisory lock of the campaign counts: campaigns_store takes it exclusively, moderation and staff tagging in shared mode.';

-- Adds sign to the counts of the campaigns of the given proposals (members each; the caller
-- passes only proposals that are, or were until now, counted: visible). refs_only: the article
-- and section counts alone (a change of references). With sign -1 the first and last times of
-- the cells where a given proposal held them are recomputed from the other visible members.
CREATE FUNCTION campaign_count(ids bigint[], sign integer, refs_only boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT refs_only THEN
    WITH m AS (
      SELECT cm.campaign_id, p.submitter_type, p.channel, p.received_at
        FROM campaign_members cm JOIN proposals p ON p.id = cm.proposal_id
       WHERE cm.proposal_id = ANY (ids)
    ), sizes AS (
      UPDATE campaigns c SET size = c.size + sign * n.n
        FROM (SELECT campaign_id, count(*) AS n FROM m GROUP BY campaign_id) n
       WHERE c.id = n.campaign_id
      RETURNING 1
    )
    INSERT INTO campaign_cells AS t (campaign_id, submitter_type, channel, members, first_at, last_at)
    SELECT m.campaign_id, m.submitter_type, m.channel, sign * count(*), min(m.received_at),
           max(m.received_at)
      FROM m GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (campaign_id, submitter_type, channel) DO UPDATE
       SET members = t.members + EXCLUDED.members,
           first_at = CASE WHEN sign > 0 THEN least(t.first_at, EXCLUDED.first_at) ELSE t.first_at END,
           last_at = CASE WHEN sign > 0 THEN greatest(t.last_at, EXCLUDED.last_at) ELSE t.last_at END;
    IF sign < 0 THEN
      UPDATE campaign_cells t
         SET (first_at, last_at) = (
               SELECT min(p.received_at), max(p.received_at)
                 FROM campaign_members cm JOIN proposals p ON p.id = cm.proposal_id
                WHERE cm.campaign_id = t.campaign_id AND p.submitter_type = t.submitter_type
                  AND p.channel = t.channel AND p.status = 'visible' AND p.id <> ALL (ids))
        FROM (SELECT DISTINCT cm.campaign_id, p.submitter_type, p.channel, p.received_at
                FROM campaign_members cm JOIN proposals p ON p.id = cm.proposal_id
               WHERE cm.proposal_id = ANY (ids)) g
       WHERE t.campaign_id = g.campaign_id AND t.submitter_type = g.submitter_type
         AND t.channel = g.channel AND g.received_at IN (t.first_at, t.last_at);
    END IF;
  END IF;
  WITH r AS (
    SELECT cm.campaign_id, cm.document_id, pa.proposal_id, pa.article_id, a.section_number
      FROM campaign_members cm
      JOIN proposal_articles pa ON pa.proposal_id = cm.proposal_id
      JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id
     WHERE cm.proposal_id = ANY (ids)
  ), arts AS (
    INSERT INTO campaign_article_counts AS t (campaign_id, document_id, article_id, members)
    SELECT r.campaign_id, r.document_id, r.article_id, sign * count(*)
      FROM r GROUP BY 1, 2, 3 ORDER BY 1, 3
    ON CONFLICT (campaign_id, article_id) DO UPDATE SET members = t.members + EXCLUDED.members
    RETURNING 1
  )
  INSERT INTO campaign_section_counts AS t (campaign_id, document_id, section_number, members)
  SELECT r.campaign_id, r.document_id, r.section_number, sign * count(DISTINCT r.proposal_id)
    FROM r GROUP BY 1, 2, 3 ORDER BY 1, 3
  ON CONFLICT (campaign_id, section_number) DO UPDATE SET members = t.members + EXCLUDED.members;
END $$;

COMMENT ON FUNCTION campaign_count(bigint[], integer, boolean) IS
  'Adds sign to the campaign counts of the given members (size, cells, article and section counts; only the last two when refs_only), recomputing cell times a removed member held. Callers hold campaign_lock_key().';

-- Moves every member and count of campaign `gone` into campaign `kept` and deletes `gone`.
CREATE FUNCTION campaign_merge(kept bigint, gone bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE campaign_members SET campaign_id = kept WHERE campaign_id = gone;
  INSERT INTO campaign_cells AS t (campaign_id, submitter_type, channel, members, first_at, last_at)
  SELECT kept, submitter_type, channel, members, first_at, last_at
    FROM campaign_cells WHERE campaign_id = gone ORDER BY submitter_type, channel
  ON CONFLICT (campaign_id, submitter_type, channel) DO UPDATE
     SET members = t.members + EXCLUDED.members, first_at = least(t.first_at, EXCLUDED.first_at),
         last_at = greatest(t.last_at, EXCLUDED.last_at);
  DELETE FROM campaign_cells WHERE campaign_id = gone;
  INSERT INTO campaign_article_counts AS t (campaign_id, document_id, article_id, members)
  SELECT kept, document_id, article_id, members
    FROM campaign_article_counts WHERE campaign_id = gone ORDER BY article_id
  ON CONFLICT (campaign_id, article_id) DO UPDATE SET members = t.members + EXCLUDED.members;
  DELETE FROM campaign_article_counts WHERE campaign_id = gone;
  INSERT INTO campaign_section_counts AS t (campaign_id, document_id, section_number, members)
  SELECT kept, document_id, section_number, members
    FROM campaign_section_counts WHERE campaign_id = gone ORDER BY section_number
  ON CONFLICT (campaign_id, section_number) DO UPDATE SET members = t.members + EXCLUDED.members;
  DELETE FROM campaign_section_counts WHERE campaign_id = gone;
  UPDATE campaigns k SET size = k.size + g.size, members_total = k.members_total + g.members_total
    FROM campaigns g WHERE k.id = kept AND g.id = gone;
  DELETE FROM campaigns WHERE id = gone;
END $$;

COMMENT ON FUNCTION campaign_merge(bigint, bigint) IS
  'Merges campaign gone into campaign kept: members and counts move, gone is deleted. Called by campaigns_store.';

-- Stores the service's decisions for a batch of pending proposals and removes their marks.
-- batch: {"signatures":[{"id","document","exact","minhash"(hex)}], "bands":[[key, id], ...],
-- "groups":[{"kept": campaign id|null, "representative": id, "merge":[campaign ids],
-- "join":[proposal ids]}]}: each group joins the proposals in `join` (new ones or earlier ones
-- in no campaign) and the campaigns in `merge` into `kept` (a new campaign when null, with the
-- representative given). Returns how many proposals were compared (marks removed).
CREATE FUNCTION campaigns_store(batch jsonb) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  g jsonb;
  kept bigint;
  gone bigint;
  joined bigint[];
  ids bigint[];
  taken integer;
BEGIN
  PERFORM pg_advisory_xact_lock(campaign_lock_key());
  SELECT array_agg((s ->> 'id')::bigint) INTO ids FROM jsonb_array_elements(batch -> 'signatures') s;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM campaign_pending WHERE proposal_id = ANY (ids);
  GET DIAGNOSTICS taken = ROW_COUNT;
  INSERT INTO campaign_signatures (proposal_id, document_id, exact, minhash)
  SELECT (s ->> 'id')::bigint, (s ->> 'document')::integer, (s ->> 'exact')::bigint,
         decode(s ->> 'minhash', 'hex')
    FROM jsonb_array_elements(batch -> 'signatures') s
    JOIN proposals p ON p.id = (s ->> 'id')::bigint
  ON CONFLICT (proposal_id) DO NOTHING;
  INSERT INTO campaign_bands (key, proposal_id)
  SELECT (b ->> 0)::bigint, (b ->> 1)::bigint FROM jsonb_array_elements(batch -> 'bands') b
   ORDER BY 1
  ON CONFLICT (key) DO NOTHING;
  FOR g IN SELECT * FROM jsonb_array_elements(batch -> 'groups') LOOP
    kept := (g ->> 'kept')::bigint;
    SELECT array_agg(p.id ORDER BY p.id) INTO joined
      FROM proposals p
     WHERE p.id IN (SELECT x::bigint FROM jsonb_array_elements_text(g -> 'join') x)
       AND NOT EXISTS (SELECT 1 FROM campaign_members cm WHERE cm.proposal_id = p.id);
    IF kept IS NULL THEN
      IF coalesce(cardinality(joined), 0) + jsonb_array_length(g -> 'merge') < 2 THEN
        CONTINUE;
      END IF;
      INSERT INTO campaigns (document_id, representative_id, members_total, size)
      SELECT p.document_id, p.id, 0, 0 FROM proposals p WHERE p.id = (g ->> 'representative')::bigint
      RETURNING id INTO kept;
    END IF;
    FOR gone IN SELECT x::bigint FROM jsonb_array_elements_text(g -> 'merge') x LOOP
      IF gone <> kept AND EXISTS (SELECT 1 FROM campaigns WHERE id = gone) THEN
        PERFORM campaign_merge(kept, gone);
      END IF;
    END LOOP;
    IF joined IS NOT NULL THEN
      INSERT INTO campaign_members (proposal_id, campaign_id, document_id)
      SELECT p.id, kept, p.document_id FROM proposals p WHERE p.id = ANY (joined) ORDER BY p.id;
      UPDATE campaigns SET members_total = members_total + cardinality(joined) WHERE id = kept;
      PERFORM campaign_count(ARRAY(SELECT p.id FROM proposals p
                                    WHERE p.id = ANY (joined) AND p.status = 'visible'), 1, false);
    END IF;
  END LOOP;
  RETURN taken;
END $$;

COMMENT ON FUNCTION campaigns_store(jsonb) IS
  'Stores the signatures, band keys and campaign decisions the service computed for a batch of pending proposals (joins, new campaigns, merges) with their counts, and removes the marks, under campaign_lock_key(); returns how many marks it removed.';

-- Moderation follows into the campaign counts.
CREATE FUNCTION campaign_on_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(campaign_lock_key());
  IF EXISTS (SELECT 1 FROM campaign_members WHERE proposal_id = NEW.id) THEN
    PERFORM campaign_count(ARRAY[NEW.id], CASE WHEN NEW.status = 'visible' THEN 1 ELSE -1 END,
                           false);
  END IF;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION campaign_on_status_changed() IS
  'After a status change: a campaign member is counted into or out of its campaign''s counts.';

CREATE TRIGGER campaign_status_changed AFTER UPDATE OF status ON proposals
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION campaign_on_status_changed();

COMMENT ON TRIGGER campaign_status_changed ON proposals IS
  'After each row whose status changed: the campaign counts follow (campaign_on_status_changed).';

-- Staff tagging follows into the campaign counts: the old references of a visible member are
-- counted out before they are replaced and the new ones in after.
CREATE FUNCTION campaign_references_replacing(p_id bigint, sign integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(campaign_lock_key());
  IF EXISTS (SELECT 1 FROM campaign_members cm JOIN proposals p ON p.id = cm.proposal_id
              WHERE cm.proposal_id = p_id AND p.status = 'visible') THEN
    PERFORM campaign_count(ARRAY[p_id], sign, true);
  END IF;
END $$;

COMMENT ON FUNCTION campaign_references_replacing(bigint, integer) IS
  'Counts the references of a visible campaign member out of (-1, before a replacement) or into (+1, after) its campaign''s article and section counts; called by proposal_set_references.';

-- proposal_set_references as before, with the campaign counts following.
CREATE OR REPLACE FUNCTION proposal_set_references(p_id bigint, arts text[], paragraphs text[])
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
  PERFORM campaign_references_replacing(p_id, -1);
  PERFORM set_config('usynys.replacing_references_of', p_id::text, true);
  DELETE FROM proposal_articles WHERE proposal_id = p_id;
  PERFORM set_config('usynys.replacing_references_of', '', true);
  IF counted AND old_arts IS NOT NULL THEN
    PERFORM stats_refresh_bounds(p, old_arts);
  END IF;
  INSERT INTO proposal_articles (proposal_id, document_id, article_id, paragraph, source)
  SELECT p_id, p.document_id, x.article_id, nullif(x.paragraph, ''), 'staff'
    FROM unnest(arts, paragraphs) AS x (article_id, paragraph);
  PERFORM campaign_references_replacing(p_id, 1);
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
