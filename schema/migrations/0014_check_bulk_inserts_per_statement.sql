-- The same rules, checked at a cost that does not grow with the length of a text or the number
-- of references of a statement that names the same articles again and again.
--
-- A bulk import of a million letters spent about half of the database's time in three places:
-- the length checks of text and proposed_text, which count the characters of every text; the
-- reference checks, which looked up the article of every reference and the proposal of every
-- reference one by one; and a per-row trigger for paragraphs. Now a text of at most 20,000 bytes
-- cannot hold more than 20,000 characters, so only longer ones are counted; the articles and
-- paragraphs named are checked once per distinct pair; the proposals of a statement's
-- references are read as one range of ids when their ids are close together (an insert of
-- new proposals and their references), else one by one as before; and the pending marks a
-- transaction inserted itself, which no fold can see, are not locked.

ALTER TABLE proposals DROP CONSTRAINT proposals_text_check,
  ADD CONSTRAINT proposals_text_check
    CHECK (octet_length(text) >= 1 AND (octet_length(text) <= 20000 OR char_length(text) <= 20000));
ALTER TABLE proposals DROP CONSTRAINT proposals_proposed_text_check,
  ADD CONSTRAINT proposals_proposed_text_check
    CHECK (octet_length(proposed_text) >= 1
           AND (octet_length(proposed_text) <= 20000 OR char_length(proposed_text) <= 20000));

DROP TRIGGER proposal_articles_paragraph ON proposal_articles;
DROP FUNCTION check_proposal_paragraph();

CREATE OR REPLACE FUNCTION proposal_articles_check_references() RETURNS trigger
LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
  bad record;
  lo bigint;
  hi bigint;
  distinct_ids bigint;
  orphan boolean;
BEGIN
  PERFORM 1 FROM documents d
    WHERE d.id IN (SELECT DISTINCT document_id FROM new_refs) ORDER BY d.id FOR KEY SHARE;
  SELECT k.document_id, k.article_id INTO bad
    FROM (SELECT DISTINCT document_id, article_id FROM new_refs) k
   WHERE (SELECT NOT a.repealed FROM articles a
           WHERE a.document_id = k.document_id AND a.article_id = k.article_id) IS NOT TRUE
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'document % has no article % in force', bad.document_id, bad.article_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT k.article_id, k.paragraph INTO bad
    FROM (SELECT DISTINCT document_id, article_id, paragraph FROM new_refs
           WHERE paragraph IS NOT NULL) k
   WHERE NOT EXISTS (SELECT 1 FROM articles a
                      WHERE a.document_id = k.document_id AND a.article_id = k.article_id
                        AND k.paragraph = ANY (a.paragraph_labels))
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'article % has no paragraph %', bad.article_id, bad.paragraph
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT min(proposal_id), max(proposal_id), count(DISTINCT proposal_id) INTO lo, hi, distinct_ids
    FROM new_refs;
  IF hi - lo < 4 * distinct_ids + 1000 THEN
    -- One range of the primary key, read in order and hashed, instead of a lookup per
    -- reference. Whatever a planner without fresh statistics expects of the range, no nested
    -- loop (the function's own settings come back when it returns).
    SET LOCAL enable_hashjoin = on;
    SET LOCAL enable_nestloop = off;
    SELECT r.proposal_id, r.document_id INTO bad
      FROM new_refs r
      LEFT JOIN (SELECT p.id, p.document_id FROM proposals p WHERE p.id BETWEEN lo AND hi
                 ORDER BY p.id) p ON p.id = r.proposal_id
     WHERE p.document_id IS DISTINCT FROM r.document_id
     LIMIT 1;
    orphan := FOUND;
    SET LOCAL enable_nestloop = on;
    SET LOCAL enable_hashjoin = off;
  ELSE
    -- By id alone: with both columns in the condition, a planner without statistics for a new
    -- table may take the document's index and read all of its proposals for each reference.
    SELECT r.proposal_id, r.document_id INTO bad FROM new_refs r
     WHERE (SELECT p.document_id FROM proposals p WHERE p.id = r.proposal_id)
           IS DISTINCT FROM r.document_id
     LIMIT 1;
    orphan := FOUND;
  END IF;
  IF orphan THEN
    RAISE EXCEPTION 'no proposal % on document %', bad.proposal_id, bad.document_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION stats_on_articles_inserted() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
  referenced bigint[];
  pending bigint[];
  theirs bigint[];
  ids bigint[];
  arts text[];
  me xid := xid(pg_current_xact_id());
BEGIN
  SELECT array_agg(DISTINCT proposal_id) INTO referenced FROM new_refs;
  -- Marks this transaction inserted are invisible to every fold until it commits; the others
  -- are locked so that a fold taking them finishes (or waits) first, and read again then.
  SELECT array_agg(proposal_id) FILTER (WHERE xmin = me),
         array_agg(proposal_id) FILTER (WHERE xmin <> me)
    INTO pending, theirs
    FROM stats_pending WHERE proposal_id = ANY (referenced);
  IF theirs IS NOT NULL THEN
    SELECT coalesce(pending, '{}') || coalesce(array_agg(proposal_id), '{}') INTO pending
      FROM (SELECT proposal_id FROM stats_pending WHERE proposal_id = ANY (theirs)
             ORDER BY proposal_id FOR SHARE) s;
  END IF;
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

COMMENT ON FUNCTION proposal_articles_check_references() IS
  'Refuses inserted references to an article that does not exist or is repealed, or whose '
  'proposal does not exist or belongs to another document (foreign_key_violation), or whose '
  'paragraph is not one of the article paragraph_labels (check_violation), after taking FOR KEY '
  'SHARE on the documents named. Each distinct article, and paragraph, is looked up once.';
COMMENT ON FUNCTION stats_on_articles_inserted() IS
  'Counts new references of visible proposals that are already folded; references of pending '
  'proposals are left to their fold. Locks the pending marks of other transactions first so that '
  'a concurrent fold and this statement never both count, or both skip, a reference.';
COMMENT ON TRIGGER proposal_articles_references_exist ON proposal_articles IS
  'After each insert statement: every new reference names an article in force, one of its '
  'paragraphs when it names one, and a proposal of the same document.';
