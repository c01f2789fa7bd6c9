-- Full-text search vectors are computed after the inserting transaction, not inside it.
--
-- Parsing and stemming a proposal's text and adding it to the GIN index was the largest part of
-- an insert, and the index's pending list made an unlucky insert merge it. Now an insert only
-- marks its proposals (an insert-only table), and search_fold() computes their vectors in
-- batches, in one transaction that also removes the marks. A search matches the stored vectors
-- plus the vectors of pending proposals computed on the fly, in one snapshot, so a committed
-- proposal is found at once, indexed or not.

ALTER TABLE proposals DROP COLUMN search_tsv;

CREATE TABLE proposal_search (
  proposal_id   bigint PRIMARY KEY,
  search_config regconfig NOT NULL,
  search_tsv    tsvector NOT NULL
);

CREATE INDEX proposal_search_tsv ON proposal_search USING gin (search_tsv);

CREATE TABLE search_pending (
  proposal_id bigint PRIMARY KEY
);

-- The vector of a proposal, in its own text search configuration (proposals.search_config).
CREATE FUNCTION proposal_search_vector(config regconfig, text text, proposed_text text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector(config, text || ' ' || coalesce(proposed_text, ''))
$$;

INSERT INTO proposal_search (proposal_id, search_config, search_tsv)
SELECT id, search_config, proposal_search_vector(search_config, text, proposed_text)
  FROM proposals;

-- New proposals wait for both folds: one trigger marks them for each, in place of the one that
-- marked them for the statistics only.
DROP TRIGGER stats_proposals_inserted ON proposals;
DROP FUNCTION stats_on_proposals_inserted();

CREATE FUNCTION proposals_mark_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_pending (proposal_id) SELECT id FROM new_proposals;
  INSERT INTO search_pending (proposal_id) SELECT id FROM new_proposals;
  RETURN NULL;
END $$;

CREATE TRIGGER proposals_mark_pending AFTER INSERT ON proposals
  REFERENCING NEW TABLE AS new_proposals FOR EACH STATEMENT
  EXECUTE FUNCTION proposals_mark_pending();

-- Computes the vectors of up to max_proposals pending proposals (the oldest first) and removes
-- their marks; returns how many were taken. Marks locked by another fold are skipped. Every row
-- is reached by key (see stats_fold).
CREATE FUNCTION search_fold(max_proposals integer) RETURNS integer LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
  ids bigint[];
BEGIN
  SELECT array_agg(proposal_id ORDER BY proposal_id) INTO ids
    FROM (SELECT proposal_id FROM search_pending ORDER BY proposal_id
           LIMIT max_proposals FOR UPDATE SKIP LOCKED) s;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;
  INSERT INTO proposal_search (proposal_id, search_config, search_tsv)
  SELECT id, search_config, proposal_search_vector(search_config, text, proposed_text)
    FROM proposals WHERE id = ANY (ids)
   ORDER BY id;
  DELETE FROM search_pending WHERE proposal_id = ANY (ids);
  RETURN cardinality(ids);
END $$;

-- The searched fields never change after insert, so a stored vector never goes stale.
CREATE FUNCTION proposals_keep_searched_fields() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.text, NEW.proposed_text, NEW.language) IS DISTINCT FROM
     (OLD.text, OLD.proposed_text, OLD.language) THEN
    RAISE EXCEPTION 'the searched fields of proposal % cannot change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER proposals_searched_fields BEFORE UPDATE ON proposals
  FOR EACH ROW EXECUTE FUNCTION proposals_keep_searched_fields();

CREATE FUNCTION search_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE proposal_search, search_pending;
  RETURN NULL;
END $$;

CREATE TRIGGER search_reset_on_truncate AFTER TRUNCATE ON proposals
  FOR EACH STATEMENT EXECUTE FUNCTION search_reset();
