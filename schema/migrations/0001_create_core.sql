-- Documents (one version of a constitution), their sections and articles, proposals and the
-- articles each proposal references. Every rule that can live in the database lives here too.

CREATE TABLE documents (
  id            serial PRIMARY KEY,
  slug          text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  title         text NOT NULL CHECK (title <> ''),
  version       text NOT NULL,
  language      text NOT NULL,
  source_sha256 text NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
  loaded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sections (
  document_id integer NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  number      integer NOT NULL CHECK (number > 0),
  roman       text NOT NULL,
  title       text NOT NULL,
  PRIMARY KEY (document_id, number)
);

CREATE TABLE articles (
  document_id      integer NOT NULL,
  article_id       text NOT NULL CHECK (article_id ~ '^[0-9]+(-[0-9]+)?$'),
  position         integer NOT NULL CHECK (position > 0),
  section_number   integer NOT NULL,
  text             text NOT NULL,
  paragraph_labels text[] NOT NULL DEFAULT '{}',
  chars            integer NOT NULL CHECK (chars >= 0),
  repealed         boolean NOT NULL DEFAULT false,
  PRIMARY KEY (document_id, article_id),
  UNIQUE (document_id, position) DEFERRABLE INITIALLY DEFERRED,
  -- Target of proposal_articles' foreign key, which only accepts articles in force.
  UNIQUE (document_id, article_id, repealed),
  FOREIGN KEY (document_id, section_number) REFERENCES sections (document_id, number)
    ON DELETE CASCADE,
  CHECK (NOT repealed OR chars = 0)
);

CREATE TABLE proposals (
  id                bigserial PRIMARY KEY,
  document_id       integer NOT NULL REFERENCES documents (id),
  submitter_type    text NOT NULL
    CHECK (submitter_type IN ('citizen', 'party', 'organization', 'expert', 'state_body')),
  submitter_name    text CHECK (submitter_name <> ''),
  submitter_region  text CHECK (submitter_region <> ''),
  -- Keyed hash (HMAC-SHA-256) of the submitter's national identifier; never the identifier.
  identifier_hash   bytea CHECK (octet_length(identifier_hash) = 32),
  channel           text NOT NULL DEFAULT 'web'
    CHECK (channel IN ('web', 'e-otinish', 'egov', 'email', 'mail', 'hearing')),
  language          text CHECK (language IN ('kk', 'ru', 'en')),
  kind              text NOT NULL DEFAULT 'comment'
    CHECK (kind IN ('amend', 'repeal', 'add', 'comment')),
  text              text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 20000),
  proposed_text     text CHECK (char_length(proposed_text) BETWEEN 1 AND 20000),
  received_at       timestamptz NOT NULL DEFAULT now(),
  status            text NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden')),
  idempotency_key   text UNIQUE CHECK (idempotency_key ~ '^[\x21-\x7e]{1,200}$'),
  request_sha256    bytea CHECK (octet_length(request_sha256) = 32),
  CHECK (submitter_type = 'citizen' OR submitter_name IS NOT NULL),
  CHECK ((idempotency_key IS NULL) = (request_sha256 IS NULL))
);

CREATE INDEX proposals_document_received ON proposals (document_id, received_at);

CREATE TABLE proposal_articles (
  proposal_id bigint NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
  document_id integer NOT NULL,
  article_id  text NOT NULL,
  paragraph   text,
  repealed    boolean NOT NULL DEFAULT false CHECK (NOT repealed),
  PRIMARY KEY (proposal_id, article_id),
  FOREIGN KEY (document_id, article_id, repealed)
    REFERENCES articles (document_id, article_id, repealed)
);

CREATE INDEX proposal_articles_article ON proposal_articles (document_id, article_id);

-- A paragraph reference must name one of the article's paragraph labels.
CREATE FUNCTION check_proposal_paragraph() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.paragraph IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM articles a
       WHERE a.document_id = NEW.document_id AND a.article_id = NEW.article_id
         AND NEW.paragraph = ANY (a.paragraph_labels)) THEN
    RAISE EXCEPTION 'article % has no paragraph %', NEW.article_id, NEW.paragraph
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER proposal_articles_paragraph BEFORE INSERT OR UPDATE ON proposal_articles
  FOR EACH ROW EXECUTE FUNCTION check_proposal_paragraph();

-- The proposal and its article rows belong to the same document.
ALTER TABLE proposals ADD UNIQUE (id, document_id);
ALTER TABLE proposal_articles ADD FOREIGN KEY (proposal_id, document_id)
  REFERENCES proposals (id, document_id) ON DELETE CASCADE;
