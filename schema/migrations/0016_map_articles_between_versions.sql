-- The article map between two versions of a document: for each article of the newer one, the
-- articles of the older one it takes over. The service computes suggestions from the texts once
-- per pair of file versions (article_maps records which) and keeps them with each pair; an admin
-- confirms or corrects a pair, and the confirmation outlives every recomputation. A confirmed
-- pair that names an article no longer in force is flagged, not dropped. Confirmations are
-- audited, so the audit log now records more than moderation.

CREATE TABLE article_maps (
  from_document_id integer NOT NULL REFERENCES documents (id),
  to_document_id integer NOT NULL REFERENCES documents (id),
  from_sha256 text NOT NULL CHECK (from_sha256 ~ '^[0-9a-f]{64}$'),
  to_sha256 text NOT NULL CHECK (to_sha256 ~ '^[0-9a-f]{64}$'),
  method text NOT NULL CHECK (method <> ''),
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (from_document_id, to_document_id),
  CHECK (from_document_id <> to_document_id)
);

CREATE TABLE article_map_pairs (
  from_document_id integer NOT NULL,
  to_document_id integer NOT NULL,
  article_id text NOT NULL,
  suggested text[],
  score double precision CHECK (score BETWEEN 0 AND 1),
  candidates jsonb CHECK (jsonb_typeof(candidates) = 'array'),
  confirmed text[],
  confirmed_by text CHECK (confirmed_by <> ''),
  confirmed_at timestamptz,
  reason text CHECK (char_length(reason) BETWEEN 1 AND 1000),
  flag text CHECK (flag <> ''),
  PRIMARY KEY (from_document_id, to_document_id, article_id),
  FOREIGN KEY (from_document_id, to_document_id) REFERENCES article_maps ON DELETE CASCADE,
  CHECK ((suggested IS NULL) = (score IS NULL) AND (suggested IS NULL) = (candidates IS NULL)),
  CHECK ((confirmed IS NULL) = (confirmed_by IS NULL)
         AND (confirmed IS NULL) = (confirmed_at IS NULL)
         AND (confirmed IS NULL) = (reason IS NULL)),
  CHECK (suggested IS NOT NULL OR confirmed IS NOT NULL),
  CHECK (flag IS NULL OR confirmed IS NOT NULL)
);

ALTER TABLE audit_log
  ALTER COLUMN proposal_id DROP NOT NULL,
  ADD COLUMN subject text CHECK (subject <> ''),
  DROP CONSTRAINT audit_log_action_check,
  ADD CONSTRAINT audit_log_action_check CHECK (action IN ('moderation', 'article_map')),
  DROP CONSTRAINT audit_log_from_status_check,
  DROP CONSTRAINT audit_log_to_status_check,
  ADD CONSTRAINT audit_log_moderation_check
    CHECK (action <> 'moderation'
           OR (proposal_id IS NOT NULL AND subject IS NULL
               AND from_status IN ('visible', 'hidden') AND to_status IN ('visible', 'hidden'))),
  ADD CONSTRAINT audit_log_article_map_check
    CHECK (action <> 'article_map' OR (proposal_id IS NULL AND subject IS NOT NULL));

COMMENT ON TABLE article_maps IS
  'One row per pair of documents mapped (older from, newer to): which file versions (source_sha256 of each) and which method the stored suggestions were computed from. The service recomputes the suggestions when either differs.';
COMMENT ON COLUMN article_maps.from_document_id IS 'The older document.';
COMMENT ON COLUMN article_maps.to_document_id IS 'The newer document, whose articles take over the older one''s.';
COMMENT ON COLUMN article_maps.from_sha256 IS 'source_sha256 of the older document when the suggestions were computed.';
COMMENT ON COLUMN article_maps.to_sha256 IS 'source_sha256 of the newer document when the suggestions were computed.';
COMMENT ON COLUMN article_maps.method IS 'The suggestion method and its version (match::kMapMethod).';
COMMENT ON COLUMN article_maps.computed_at IS 'When the suggestions were last computed.';

COMMENT ON TABLE article_map_pairs IS
  'One row per article of the newer document: the suggested predecessors, and the ones an admin confirmed (audit_log action article_map). Article ids are not foreign keys: a reload may drop articles, and a confirmed pair naming one is flagged, not lost.';
COMMENT ON COLUMN article_map_pairs.from_document_id IS 'The older document.';
COMMENT ON COLUMN article_map_pairs.to_document_id IS 'The newer document.';
COMMENT ON COLUMN article_map_pairs.article_id IS 'An article of the newer document.';
COMMENT ON COLUMN article_map_pairs.suggested IS 'Suggested predecessors (articles of the older document), best first; empty: a new article; NULL when the article is no longer in force.';
COMMENT ON COLUMN article_map_pairs.score IS 'Confidence of the suggestion in [0, 1].';
COMMENT ON COLUMN article_map_pairs.candidates IS 'The best candidates with their scores, [{"article","score"}], best first.';
COMMENT ON COLUMN article_map_pairs.confirmed IS 'Predecessors confirmed by an admin (empty: confirmed new); NULL until confirmed.';
COMMENT ON COLUMN article_map_pairs.confirmed_by IS 'Token name of the admin who confirmed.';
COMMENT ON COLUMN article_map_pairs.confirmed_at IS 'When it was confirmed.';
COMMENT ON COLUMN article_map_pairs.reason IS 'Why, as the admin gave it.';
COMMENT ON COLUMN article_map_pairs.flag IS 'Set when the confirmed pair names an article no longer in force (which, in words); the confirmation is then set aside until an admin confirms again.';

COMMENT ON TABLE audit_log IS
  'Append-only log of staff changes: who changed what, from what to what, when and why. Moderation (a proposal''s status) and article_map (a confirmed pair of an article map). Written in the same transaction as the change; rows are never updated or deleted and the table is never truncated.';
COMMENT ON COLUMN audit_log.action IS 'What was changed: moderation or article_map.';
COMMENT ON COLUMN audit_log.proposal_id IS 'The proposal moderated; NULL for other actions.';
COMMENT ON COLUMN audit_log.subject IS 'What else was changed, in words: for article_map "<to>/<article> from <from>"; NULL for moderation.';
COMMENT ON COLUMN audit_log.from_status IS 'The value before: the status for moderation; the predecessors in force (JSON array) for article_map.';
COMMENT ON COLUMN audit_log.to_status IS 'The value after, in the same form.';
