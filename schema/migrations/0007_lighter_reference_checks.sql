-- Fewer checks per article reference, the same rules.

-- The paragraph check runs only for references that name a paragraph: most name none, and a
-- row trigger call per reference was a large part of an insert.
DROP TRIGGER proposal_articles_paragraph ON proposal_articles;

CREATE TRIGGER proposal_articles_paragraph BEFORE INSERT OR UPDATE ON proposal_articles
  FOR EACH ROW WHEN (NEW.paragraph IS NOT NULL) EXECUTE FUNCTION check_proposal_paragraph();

-- The foreign key (proposal_id, document_id) -> proposals (id, document_id) already requires
-- the proposal (both columns are NOT NULL); the one on proposal_id alone checked it twice.
ALTER TABLE proposal_articles DROP CONSTRAINT proposal_articles_proposal_id_fkey;
