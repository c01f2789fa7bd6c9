-- The same reference rules, checked once per statement instead of once per row.
--
-- Each foreign key from proposals and proposal_articles ran its own lookup query, with its own
-- executor start-up and its own row lock, for every row inserted: about a quarter of the work of
-- a batch insert. Statement triggers now check all the rows a statement inserted with one query
-- per rule, and the referenced side keeps its guard with row triggers (documents and articles
-- change only when a document is loaded).
--
-- Locking replaces the foreign keys' row locks: an insert takes FOR KEY SHARE on the rows of
-- the documents it names, and a change that could orphan a reference takes FOR UPDATE on its
-- document's row first (and writes a new version of it), so each waits for the other to end and
-- then sees what it committed; an insert in a repeatable read transaction that began before
-- such a change fails to serialize. Every row is reached by key (see stats_on_articles_inserted
-- in 0005 for why).

ALTER TABLE proposals DROP CONSTRAINT proposals_document_id_fkey;
ALTER TABLE proposal_articles DROP CONSTRAINT proposal_articles_proposal_id_document_id_fkey;
ALTER TABLE proposal_articles
  DROP CONSTRAINT proposal_articles_document_id_article_id_repealed_fkey;
-- Only the dropped foreign keys needed these.
ALTER TABLE proposal_articles DROP COLUMN repealed;
ALTER TABLE articles DROP CONSTRAINT articles_document_id_article_id_repealed_key;
ALTER TABLE proposals DROP CONSTRAINT proposals_id_document_id_key;

-- Every new proposal names a stored document.
CREATE FUNCTION proposals_check_document() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
  missing integer;
BEGIN
  PERFORM 1 FROM documents d
    WHERE d.id IN (SELECT DISTINCT document_id FROM new_proposals) ORDER BY d.id FOR KEY SHARE;
  SELECT p.document_id INTO missing FROM new_proposals p
   WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = p.document_id)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'no document with id %', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER proposals_document_exists AFTER INSERT ON proposals
  REFERENCING NEW TABLE AS new_proposals
  FOR EACH STATEMENT EXECUTE FUNCTION proposals_check_document();

-- Every new reference names a proposal of the same document and an article of that document in
-- force. References are never updated (proposal_articles_no_change).
CREATE FUNCTION proposal_articles_check_references() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
  bad record;
BEGIN
  PERFORM 1 FROM documents d
    WHERE d.id IN (SELECT DISTINCT document_id FROM new_refs) ORDER BY d.id FOR KEY SHARE;
  SELECT r.document_id, r.article_id INTO bad FROM new_refs r
   WHERE (SELECT NOT a.repealed FROM articles a
           WHERE a.document_id = r.document_id AND a.article_id = r.article_id) IS NOT TRUE
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'document % has no article % in force', bad.document_id, bad.article_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  -- By id alone: with both columns in the condition, a planner without statistics for a new
  -- table may take the document's index and read all of its proposals for each reference.
  SELECT r.proposal_id, r.document_id INTO bad FROM new_refs r
   WHERE (SELECT p.document_id FROM proposals p WHERE p.id = r.proposal_id)
         IS DISTINCT FROM r.document_id
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'no proposal % on document %', bad.proposal_id, bad.document_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER proposal_articles_references_exist AFTER INSERT ON proposal_articles
  REFERENCING NEW TABLE AS new_refs
  FOR EACH STATEMENT EXECUTE FUNCTION proposal_articles_check_references();

-- Only a read committed transaction sees the references committed while it waited for a
-- document's row lock; an older snapshot could miss them.
CREATE FUNCTION require_read_committed() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'documents and articles change only in read committed transactions'
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
END $$;

-- An article stays while a reference names it, and stays in force.
CREATE FUNCTION articles_keep_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.repealed OR (TG_OP = 'UPDATE' AND NOT NEW.repealed
                      AND (NEW.document_id, NEW.article_id) = (OLD.document_id, OLD.article_id)) THEN
    RETURN NEW;
  END IF;
  PERFORM require_read_committed();
  -- Waits for the transactions inserting references to the document and keeps new ones out
  -- until commit; the new row version makes an insert whose snapshot predates this change fail
  -- to serialize rather than check against articles that are gone.
  PERFORM 1 FROM documents WHERE id = OLD.document_id FOR UPDATE;
  UPDATE documents SET loaded_at = loaded_at WHERE id = OLD.document_id;
  IF EXISTS (SELECT 1 FROM proposal_articles
              WHERE document_id = OLD.document_id AND article_id = OLD.article_id) THEN
    RAISE EXCEPTION 'article % of document % is referenced by proposals',
      OLD.article_id, OLD.document_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER articles_keep_referenced BEFORE UPDATE OR DELETE ON articles
  FOR EACH ROW EXECUTE FUNCTION articles_keep_referenced();

-- A document stays while a proposal names it. The change itself holds the document's row (and
-- writes its new version), as above.
CREATE FUNCTION documents_keep_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
    RETURN NEW;
  END IF;
  PERFORM require_read_committed();
  IF EXISTS (SELECT 1 FROM proposals WHERE document_id = OLD.id) THEN
    RAISE EXCEPTION 'document % has proposals', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER documents_keep_referenced BEFORE UPDATE OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION documents_keep_referenced();

-- Emptying proposals empties their references too (the foreign key refused to empty proposals
-- alone), unless the same statement emptied both.
CREATE FUNCTION proposals_truncate_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM proposal_articles) THEN
    TRUNCATE proposal_articles;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER proposals_truncate_references AFTER TRUNCATE ON proposals
  FOR EACH STATEMENT EXECUTE FUNCTION proposals_truncate_references();
