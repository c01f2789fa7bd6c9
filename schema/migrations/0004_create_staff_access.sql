-- Staff access: bearer tokens with roles, full-text search over proposals, moderation with an
-- append-only audit log, and purging of personal data from old proposals.

-- Bearer tokens for analysts, moderators and admins. Only the SHA-256 of a token is stored;
-- the token itself is shown once, by scripts/token, when it is created. A revoked token keeps
-- its row (and its name, which the audit log refers to).
CREATE TABLE api_tokens (
  id           serial PRIMARY KEY,
  name         text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
  role         text NOT NULL CHECK (role IN ('analyst', 'moderator', 'admin')),
  token_sha256 bytea NOT NULL UNIQUE CHECK (octet_length(token_sha256) = 32),
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);

-- Full-text search: the text search configuration follows the proposal's language (Russian and
-- English stemming; Kazakh and unknown languages match exact words), over text and
-- proposed_text. Generated columns, so that the inserts of the intake need no change.
ALTER TABLE proposals
  ADD COLUMN search_config regconfig GENERATED ALWAYS AS (
    CASE language WHEN 'ru' THEN 'russian'::regconfig
                  WHEN 'en' THEN 'english'::regconfig
                  ELSE 'simple'::regconfig END) STORED,
  ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    to_tsvector(CASE language WHEN 'ru' THEN 'russian'::regconfig
                              WHEN 'en' THEN 'english'::regconfig
                              ELSE 'simple'::regconfig END,
                text || ' ' || coalesce(proposed_text, ''))) STORED;

CREATE INDEX proposals_search ON proposals USING gin (search_tsv);

-- Personal data purge (scripts/purge-personal-data): a purged proposal keeps everything that is
-- counted but loses the submitter's name and identifier hash. A non-citizen needs a name unless
-- the proposal was purged.
ALTER TABLE proposals ADD COLUMN personal_data_purged_at timestamptz;

DO $$
DECLARE
  c text;
BEGIN
  FOR c IN
    SELECT conname FROM pg_constraint
     WHERE conrelid = 'proposals'::regclass AND contype = 'c'
       AND pg_get_constraintdef(oid) LIKE '%submitter_name IS NOT NULL%'
  LOOP
    EXECUTE format('ALTER TABLE proposals DROP CONSTRAINT %I', c);
  END LOOP;
END $$;

ALTER TABLE proposals
  ADD CONSTRAINT proposals_name_required
    CHECK (submitter_type = 'citizen' OR submitter_name IS NOT NULL
           OR personal_data_purged_at IS NOT NULL),
  ADD CONSTRAINT proposals_purged_blank
    CHECK (personal_data_purged_at IS NULL
           OR (submitter_name IS NULL AND identifier_hash IS NULL));

CREATE INDEX proposals_received_unpurged ON proposals (received_at)
  WHERE personal_data_purged_at IS NULL;

-- Moderation audit log: who (the token's name) changed which proposal from which status to which,
-- when and why. Append-only: rows are never updated or deleted, the table is never truncated.
-- No foreign key to proposals, so that the log outlives anything done to them.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL CHECK (actor <> ''),
  action      text NOT NULL DEFAULT 'moderation' CHECK (action IN ('moderation')),
  proposal_id bigint NOT NULL,
  from_status text NOT NULL CHECK (from_status IN ('visible', 'hidden')),
  to_status   text NOT NULL CHECK (to_status IN ('visible', 'hidden')),
  reason      text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000)
);

CREATE INDEX audit_log_proposal ON audit_log (proposal_id, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
