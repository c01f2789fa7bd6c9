-- Describes every table, column, view, function, trigger and index of the schema as the earlier
-- migrations left it, with COMMENT ON only: nothing else changes. psql's \d+ and \df+ show these
-- descriptions, and schema/schema.sql (scripts/schema dump) carries them.

-- schema_migrations (created by scripts/migrate.sh, not by a migration) --------------------------

COMMENT ON TABLE schema_migrations IS
  'The migrations applied to this database, one row per schema/migrations file. Created and '
  'written by scripts/migrate.sh, in the same transaction as the migration it records.';
COMMENT ON COLUMN schema_migrations.version IS
  'File name of the applied migration, such as 0001_create_core.sql.';
COMMENT ON COLUMN schema_migrations.applied_at IS
  'When the migration was applied.';

-- documents, sections, articles ------------------------------------------------------------------

COMMENT ON TABLE documents IS
  'One version of a constitution that proposals refer to. Written by the service at start-up from '
  'the document files its configuration names (config/documents); a row is rewritten only when '
  'its source file changed.';
COMMENT ON COLUMN documents.id IS
  'Surrogate key, referenced by sections, articles, proposals and the statistics.';
COMMENT ON COLUMN documents.slug IS
  'Stable public name of the document in the API (lower-case letters, digits and hyphens, at most '
  '64 characters).';
COMMENT ON COLUMN documents.title IS
  'Title of the document as its source file gives it.';
COMMENT ON COLUMN documents.version IS
  'Version label of the document text, free-form, from its source file.';
COMMENT ON COLUMN documents.language IS
  'Language of the document text, as its source file gives it.';
COMMENT ON COLUMN documents.source_sha256 IS
  'SHA-256 (lower-case hex) of the source file the rows were loaded from; the service reloads the '
  'document when it differs.';
COMMENT ON COLUMN documents.loaded_at IS
  'When the document was last loaded or changed. Also rewritten unchanged by '
  'articles_keep_referenced, to make a new row version that conflicts with concurrent inserts of '
  'references.';

COMMENT ON TABLE sections IS
  'The sections of a document, numbered in document order. Written with the document, and deleted '
  'with it.';
COMMENT ON COLUMN sections.document_id IS
  'The document the section belongs to.';
COMMENT ON COLUMN sections.number IS
  'Section number within the document, from 1.';
COMMENT ON COLUMN sections.roman IS
  'The section number as the text writes it, in Roman numerals.';
COMMENT ON COLUMN sections.title IS
  'Title of the section.';

COMMENT ON TABLE articles IS
  'The articles of a document, in force or repealed. Written with the document; an article named '
  'by a proposal can be neither deleted nor repealed (articles_keep_referenced).';
COMMENT ON COLUMN articles.document_id IS
  'The document the article belongs to.';
COMMENT ON COLUMN articles.article_id IS
  'The article number as the text writes it, such as 41 or 83-1; unique within the document.';
COMMENT ON COLUMN articles.position IS
  'Place of the article in document order, from 1; unique within the document, checked at commit.';
COMMENT ON COLUMN articles.section_number IS
  'The section that holds the article.';
COMMENT ON COLUMN articles.text IS
  'Full text of the article; empty when repealed.';
COMMENT ON COLUMN articles.paragraph_labels IS
  'Labels of the numbered paragraphs of the article, in order; a reference to a paragraph must '
  'name one of them.';
COMMENT ON COLUMN articles.chars IS
  'Length of the text in Unicode code points, the weight of the article in coverage figures; 0 '
  'when repealed.';
COMMENT ON COLUMN articles.repealed IS
  'True when the article is no longer in force: it keeps its number and place but can take no new '
  'references.';

COMMENT ON INDEX articles_document_id_position_key IS
  'Unique place in document order; deferred to commit so that reloading a document can move '
  'articles past each other.';

-- proposals --------------------------------------------------------------------------------------

COMMENT ON TABLE proposals IS
  'Every proposal received, one row each. Written by the service intake in batches; afterwards '
  'only moderation (status), the purge of personal data and the rekeying of request fingerprints '
  'change a row, and rows are never deleted.';
COMMENT ON COLUMN proposals.id IS
  'Proposal number, taken from proposals_id_seq by the intake before the insert.';
COMMENT ON COLUMN proposals.document_id IS
  'The document the proposal is about; checked per statement by proposals_document_exists instead '
  'of a foreign key.';
COMMENT ON COLUMN proposals.submitter_type IS
  'Who submitted it: citizen, party, organization, expert or state_body.';
COMMENT ON COLUMN proposals.submitter_name IS
  'Name of the submitter, personal data; required unless the submitter is a citizen or the '
  'personal data was purged.';
COMMENT ON COLUMN proposals.submitter_region IS
  'Region the submitter gave, free text, or NULL; it may not be "unspecified" in any letter case, '
  'the key under which breakdowns count proposals without a region.';
COMMENT ON COLUMN proposals.identifier_hash IS
  'HMAC-SHA-256, under the server identifier key, of the submitter national identifier (never the '
  'identifier itself); NULL when none was given or after a purge.';
COMMENT ON COLUMN proposals.channel IS
  'How the proposal arrived: web, e-otinish, egov, email, mail or hearing.';
COMMENT ON COLUMN proposals.language IS
  'Language of the proposal text (kk, ru or en), or NULL when unknown; it selects the text search '
  'configuration.';
COMMENT ON COLUMN proposals.kind IS
  'What the proposal asks for: amend, repeal or add an article, or only comment on it.';
COMMENT ON COLUMN proposals.text IS
  'The proposal as written by the submitter, 1 to 20000 characters.';
COMMENT ON COLUMN proposals.proposed_text IS
  'The wording the submitter proposes for the referenced articles, 1 to 20000 characters, or NULL.';
COMMENT ON COLUMN proposals.received_at IS
  'When the proposal was received: the start of the transaction that stored it. The statistics '
  'count it at this instant and on its UTC day.';
COMMENT ON COLUMN proposals.status IS
  'Moderation status: visible proposals are counted and shown, hidden ones are neither. Changed '
  'by moderators, each change logged in audit_log in the same transaction.';
COMMENT ON COLUMN proposals.idempotency_key IS
  'The Idempotency-Key header the proposal was sent with (1 to 200 printable ASCII characters), '
  'or NULL; unique, so that a retry returns the stored proposal.';
COMMENT ON COLUMN proposals.request_sha256 IS
  'Plain SHA-256 of the request body, as stored before fingerprints were keyed. The server '
  'replaces it by request_fingerprint at its next start and the purge blanks it; nothing writes a '
  'new one.';
COMMENT ON COLUMN proposals.search_config IS
  'Generated: the text search configuration of the proposal language (russian, english, or simple '
  'for Kazakh and unknown languages).';
COMMENT ON COLUMN proposals.personal_data_purged_at IS
  'When scripts/purge-personal-data removed the name, identifier hash and request fingerprint of '
  'the proposal; NULL while it holds them.';
COMMENT ON COLUMN proposals.request_fingerprint IS
  'HMAC-SHA-256, under the server identifier key, of the SHA-256 of the canonical JSON request '
  'body; set only with an idempotency key, to tell a retry from a different request under the '
  'same key.';

COMMENT ON INDEX proposals_document_received IS
  'Proposals of a document in order of arrival: the raw statistics queries and their time filters.';
COMMENT ON INDEX proposals_received_unpurged IS
  'Proposals still holding personal data, by arrival time: the candidates of '
  'scripts/purge-personal-data.';
COMMENT ON INDEX proposals_idempotency_key IS
  'Uniqueness of the idempotency keys given; proposals without one take no entry.';
COMMENT ON INDEX proposals_unkeyed_fingerprint IS
  'Proposals whose plain request digest still awaits rekeying, found without reading the table.';

-- proposal_articles ------------------------------------------------------------------------------

COMMENT ON TABLE proposal_articles IS
  'The articles each proposal refers to, one row per proposal and article, written by the intake '
  'with the proposal. Rows are never updated or deleted; the rules of the dropped foreign keys '
  'are checked per statement by proposal_articles_references_exist.';
COMMENT ON COLUMN proposal_articles.proposal_id IS
  'The proposal that makes the reference.';
COMMENT ON COLUMN proposal_articles.document_id IS
  'The document of the proposal and of the article; must equal the proposal document.';
COMMENT ON COLUMN proposal_articles.article_id IS
  'The referenced article; it must be in force when the reference is stored.';
COMMENT ON COLUMN proposal_articles.paragraph IS
  'Label of the referenced paragraph of the article, one of its paragraph_labels, or NULL for the '
  'whole article.';

COMMENT ON INDEX proposal_articles_article IS
  'References by article: statistics filtered by article or section, and the check that an '
  'article is still referenced.';

-- statistics aggregates --------------------------------------------------------------------------

COMMENT ON TABLE stats_article_totals IS
  'Folded count of visible proposals per article and submitter type over all time, the source of '
  'the unfiltered statistics. Written only by the statistics functions; cells are never deleted '
  'and may hold 0.';
COMMENT ON COLUMN stats_article_totals.document_id IS
  'The document of the article.';
COMMENT ON COLUMN stats_article_totals.article_id IS
  'The article counted.';
COMMENT ON COLUMN stats_article_totals.submitter_type IS
  'The submitter type counted.';
COMMENT ON COLUMN stats_article_totals.proposals IS
  'Number of folded visible proposals of that submitter type referring to the article.';
COMMENT ON COLUMN stats_article_totals.first_at IS
  'Earliest received_at among them; NULL when the count is 0.';
COMMENT ON COLUMN stats_article_totals.last_at IS
  'Latest received_at among them; NULL when the count is 0.';

COMMENT ON TABLE stats_article_daily IS
  'Folded count of visible proposals per article, UTC day, submitter type, channel and language, '
  'the source of statistics filtered by whole days. Written only by the statistics functions; '
  'cells are never deleted and may hold 0.';
COMMENT ON COLUMN stats_article_daily.document_id IS
  'The document of the article.';
COMMENT ON COLUMN stats_article_daily.article_id IS
  'The article counted.';
COMMENT ON COLUMN stats_article_daily.day IS
  'UTC day of received_at.';
COMMENT ON COLUMN stats_article_daily.submitter_type IS
  'The submitter type counted.';
COMMENT ON COLUMN stats_article_daily.channel IS
  'The channel counted.';
COMMENT ON COLUMN stats_article_daily.language IS
  'The proposal language counted, or an empty string for proposals without one.';
COMMENT ON COLUMN stats_article_daily.proposals IS
  'Number of folded visible proposals in the cell referring to the article.';
COMMENT ON COLUMN stats_article_daily.first_at IS
  'Earliest received_at among them; NULL when the count is 0.';
COMMENT ON COLUMN stats_article_daily.last_at IS
  'Latest received_at among them; NULL when the count is 0.';

COMMENT ON TABLE stats_section_daily IS
  'Folded count of visible proposals referring to a section, each proposal once per section '
  'however many of its articles it names, per UTC day, submitter type, channel and language. '
  'Written only by the statistics functions; cells are never deleted and may hold 0.';
COMMENT ON COLUMN stats_section_daily.document_id IS
  'The document of the section.';
COMMENT ON COLUMN stats_section_daily.section_number IS
  'The section counted: the section that held the referenced articles when the references were '
  'counted.';
COMMENT ON COLUMN stats_section_daily.day IS
  'UTC day of received_at.';
COMMENT ON COLUMN stats_section_daily.submitter_type IS
  'The submitter type counted.';
COMMENT ON COLUMN stats_section_daily.channel IS
  'The channel counted.';
COMMENT ON COLUMN stats_section_daily.language IS
  'The proposal language counted, or an empty string for proposals without one.';
COMMENT ON COLUMN stats_section_daily.proposals IS
  'Number of folded visible proposals in the cell referring to the section.';

COMMENT ON TABLE stats_proposal_daily IS
  'Folded count of visible proposals, each once, per document, UTC day, submitter type, channel '
  'and language. Written only by the statistics functions; cells are never deleted and may hold '
  '0.';
COMMENT ON COLUMN stats_proposal_daily.document_id IS
  'The document of the proposals.';
COMMENT ON COLUMN stats_proposal_daily.day IS
  'UTC day of received_at.';
COMMENT ON COLUMN stats_proposal_daily.submitter_type IS
  'The submitter type counted.';
COMMENT ON COLUMN stats_proposal_daily.channel IS
  'The channel counted.';
COMMENT ON COLUMN stats_proposal_daily.language IS
  'The proposal language counted, or an empty string for proposals without one.';
COMMENT ON COLUMN stats_proposal_daily.proposals IS
  'Number of folded visible proposals in the cell.';

COMMENT ON TABLE stats_pending IS
  'Proposals stored but not yet counted into the aggregates, one mark each. Marked by '
  'proposals_mark_pending on insert; stats_fold counts them and removes the marks in the same '
  'transaction.';
COMMENT ON COLUMN stats_pending.proposal_id IS
  'The proposal waiting to be folded (no foreign key; proposals are never deleted).';

COMMENT ON VIEW stats_pending_refs IS
  'The article references of visible proposals not yet folded, with the attributes the aggregates '
  'are keyed by; each pending proposal is looked up by id, so the view costs nothing while '
  'nothing is pending.';
COMMENT ON VIEW stats_article_totals_live IS
  'stats_article_totals as readers must see it: the folded cells plus one row per reference of a '
  'pending visible proposal. Sum proposals and take min(first_at) and max(last_at) per key.';
COMMENT ON VIEW stats_article_daily_live IS
  'stats_article_daily as readers must see it: the folded cells plus one row per reference of a '
  'pending visible proposal. Sum proposals and take min(first_at) and max(last_at) per key.';
COMMENT ON VIEW stats_section_daily_live IS
  'stats_section_daily as readers must see it: the folded cells plus the pending visible '
  'proposals counted once per section. Sum proposals per key.';
COMMENT ON VIEW stats_proposal_daily_live IS
  'stats_proposal_daily as readers must see it: the folded cells plus one row per pending visible '
  'proposal. Sum proposals per key.';

COMMENT ON FUNCTION stats_apply(bigint[], text[], integer, boolean) IS
  'Adds sign (1 or -1) to every aggregate cell counting the references given as parallel arrays '
  'of proposal ids and article ids, locking cells in key order. complete says the arrays hold all '
  'references of each proposal; otherwise a section the proposal already references through an '
  'older reference is not counted again.';
COMMENT ON FUNCTION stats_fold(integer) IS
  'Counts up to max_proposals pending proposals, oldest first, into the aggregates and removes '
  'their marks, skipping marks another transaction holds; returns how many it took. Called by the '
  'service folder thread.';
COMMENT ON FUNCTION stats_on_articles_inserted() IS
  'Counts new references of visible proposals that are already folded; references of pending '
  'proposals are left to their fold. Locks the pending marks first so that a concurrent fold and '
  'this statement never both count, or both skip, a reference.';
COMMENT ON FUNCTION stats_on_status_changed() IS
  'Follows a moderation change of a folded proposal: hiding counts it out and recomputes first_at '
  'and last_at of its cells from the folded visible proposals, showing counts it back in. A '
  'pending proposal is left to its fold.';
COMMENT ON FUNCTION stats_reset() IS
  'Empties the aggregates and the pending marks when proposals are emptied.';

COMMENT ON TRIGGER stats_articles_inserted ON proposal_articles IS
  'After each insert statement: counts the new references of folded visible proposals '
  '(stats_on_articles_inserted).';
COMMENT ON TRIGGER stats_status_changed ON proposals IS
  'After an update that changes status: moves the proposal into or out of the aggregates '
  '(stats_on_status_changed).';
COMMENT ON TRIGGER stats_reset_on_truncate ON proposals IS
  'After TRUNCATE proposals: empties the aggregates and the statistics marks (stats_reset).';

-- full-text search -------------------------------------------------------------------------------

COMMENT ON TABLE proposal_search IS
  'The stored full-text vector of each indexed proposal. Written only by search_fold; a vector '
  'never goes stale because the searched fields of a proposal never change.';
COMMENT ON COLUMN proposal_search.proposal_id IS
  'The proposal indexed (no foreign key; proposals are never deleted).';
COMMENT ON COLUMN proposal_search.search_config IS
  'The text search configuration the vector was computed in, the proposal search_config; a query '
  'must be parsed in the same one.';
COMMENT ON COLUMN proposal_search.search_tsv IS
  'Vector of the proposal text and proposed_text (proposal_search_vector).';

COMMENT ON INDEX proposal_search_tsv IS
  'Full-text matching over the stored vectors.';

COMMENT ON TABLE search_pending IS
  'Proposals stored but not yet indexed, one mark each. Marked by proposals_mark_pending on '
  'insert; search_fold computes their vectors and removes the marks in the same transaction, and '
  'searches compute the vectors of marked proposals on the fly.';
COMMENT ON COLUMN search_pending.proposal_id IS
  'The proposal waiting to be indexed (no foreign key; proposals are never deleted).';

COMMENT ON FUNCTION proposal_search_vector(regconfig, text, text) IS
  'The full-text vector of a proposal: its text and proposed_text in the given configuration. '
  'Used both to store vectors and to match pending proposals, so the two agree.';
COMMENT ON FUNCTION search_fold(integer) IS
  'Computes and stores the vectors of up to max_proposals pending proposals, oldest first, and '
  'removes their marks, skipping marks another fold holds; returns how many it took. Called by '
  'the service folder thread.';
COMMENT ON FUNCTION search_reset() IS
  'Empties the stored vectors and the search marks when proposals are emptied.';

COMMENT ON TRIGGER search_reset_on_truncate ON proposals IS
  'After TRUNCATE proposals: empties the stored vectors and the search marks (search_reset).';

-- rules of proposals and references --------------------------------------------------------------

COMMENT ON FUNCTION proposals_mark_pending() IS
  'Marks the proposals a statement inserted as pending for both the statistics fold and the '
  'search fold.';
COMMENT ON FUNCTION proposals_check_document() IS
  'Refuses inserted proposals that name no stored document (foreign_key_violation), after taking '
  'FOR KEY SHARE on the documents named so that none is deleted before commit.';
COMMENT ON FUNCTION proposals_keep_counted_fields() IS
  'Refuses an update that changes document_id, submitter_type, channel, language or received_at, '
  'the attributes the aggregates are keyed by (check_violation).';
COMMENT ON FUNCTION proposals_keep_searched_fields() IS
  'Refuses an update that changes text, proposed_text or language, the fields a stored search '
  'vector was computed from (check_violation).';
COMMENT ON FUNCTION proposals_no_delete() IS
  'Refuses every delete of a proposal (check_violation); a proposal is hidden instead.';
COMMENT ON FUNCTION proposals_truncate_references() IS
  'Empties proposal_articles when proposals are emptied without it.';

COMMENT ON TRIGGER proposals_mark_pending ON proposals IS
  'After each insert statement: marks the new proposals for the statistics and search folds.';
COMMENT ON TRIGGER proposals_document_exists ON proposals IS
  'After each insert statement: every new proposal must name a stored document.';
COMMENT ON TRIGGER proposals_counted_fields ON proposals IS
  'Before each row update: the counted attributes of a proposal never change.';
COMMENT ON TRIGGER proposals_searched_fields ON proposals IS
  'Before each row update: the searched fields of a proposal never change.';
COMMENT ON TRIGGER proposals_no_delete ON proposals IS
  'Before each row delete: proposals are never deleted.';
COMMENT ON TRIGGER proposals_truncate_references ON proposals IS
  'After TRUNCATE proposals: their article references go too.';

COMMENT ON FUNCTION check_proposal_paragraph() IS
  'Refuses a reference whose paragraph is not one of the article paragraph_labels '
  '(check_violation).';
COMMENT ON FUNCTION proposal_articles_check_references() IS
  'Refuses inserted references to an article that does not exist or is repealed, or whose '
  'proposal does not exist or belongs to another document (foreign_key_violation), after taking '
  'FOR KEY SHARE on the documents named.';
COMMENT ON FUNCTION proposal_articles_immutable() IS
  'Refuses every update and delete of a reference (check_violation); a proposal is hidden instead.';

COMMENT ON TRIGGER proposal_articles_paragraph ON proposal_articles IS
  'Before each row insert or update that names a paragraph: the paragraph must be one of the '
  'article paragraph_labels.';
COMMENT ON TRIGGER proposal_articles_references_exist ON proposal_articles IS
  'After each insert statement: every new reference names an article in force and a proposal of '
  'the same document.';
COMMENT ON TRIGGER proposal_articles_no_change ON proposal_articles IS
  'Before each row update or delete: references never change.';

-- rules of documents and articles ----------------------------------------------------------------

COMMENT ON FUNCTION require_read_committed() IS
  'Raises object_not_in_prerequisite_state unless the transaction is read committed: only then '
  'does a change of documents or articles see the references committed while it waited for the '
  'document row lock.';
COMMENT ON FUNCTION articles_keep_referenced() IS
  'Refuses deleting, renaming or repealing an article that a proposal references '
  '(foreign_key_violation); it first locks the document row and writes a new version of it, so '
  'that concurrent inserts of references wait or fail to serialize. Updates that keep the article '
  'in force under the same key pass unchecked.';
COMMENT ON FUNCTION documents_keep_referenced() IS
  'Refuses deleting a document, or changing its id, while a proposal names it '
  '(foreign_key_violation); other updates pass unchecked.';

COMMENT ON TRIGGER articles_keep_referenced ON articles IS
  'Before each row update or delete: an article stays, and stays in force, while a reference '
  'names it.';
COMMENT ON TRIGGER documents_keep_referenced ON documents IS
  'Before each row update or delete: a document stays while a proposal names it.';

-- nightly report ---------------------------------------------------------------------------------

COMMENT ON TABLE report_runs IS
  'One row per run of scripts/nightly-report that could reach the database, failed runs included. '
  'Written by the report script only; the service neither reads nor writes it.';
COMMENT ON COLUMN report_runs.id IS
  'Surrogate key, in the order runs were recorded.';
COMMENT ON COLUMN report_runs.report_date IS
  'The UTC day the run reported on.';
COMMENT ON COLUMN report_runs.document IS
  'Slug of the document as asked for; no foreign key, so that a run for an unknown document is '
  'recorded too.';
COMMENT ON COLUMN report_runs.fingerprint IS
  'SHA-256 (lower-case hex) of the input the report read: definitions version, document source '
  'and counted proposals; NULL when the run failed before reading the data.';
COMMENT ON COLUMN report_runs.status IS
  'How the run ended: ok or failed.';
COMMENT ON COLUMN report_runs.started_at IS
  'When the run started.';
COMMENT ON COLUMN report_runs.duration_ms IS
  'How long the run took, in milliseconds.';
COMMENT ON COLUMN report_runs.error IS
  'Why the run failed; NULL exactly when it succeeded.';

COMMENT ON INDEX report_runs_document_date IS
  'Runs of a document by reported day and start time.';

-- staff access -----------------------------------------------------------------------------------

COMMENT ON TABLE api_tokens IS
  'Bearer tokens of analysts, moderators and admins. Written by scripts/token; the service reads '
  'the tokens in force. A revoked token keeps its row and its name, which is never reused.';
COMMENT ON COLUMN api_tokens.id IS
  'Surrogate key, in order of creation.';
COMMENT ON COLUMN api_tokens.name IS
  'Name of the token holder, unique forever (1 to 64 of A-Z a-z 0-9 . _ @ -, a letter or digit '
  'first); the audit log names actors by it.';
COMMENT ON COLUMN api_tokens.role IS
  'What the token may do: analyst, moderator or admin.';
COMMENT ON COLUMN api_tokens.token_sha256 IS
  'SHA-256 of the token; the token itself is shown once, when created, and never stored.';
COMMENT ON COLUMN api_tokens.created_at IS
  'When the token was created.';
COMMENT ON COLUMN api_tokens.revoked_at IS
  'When the token was revoked, or NULL while it is in force.';

COMMENT ON TABLE audit_log IS
  'Append-only log of moderation: who changed which proposal from which status to which, when and '
  'why. Written by the service with each status change; rows are never updated or deleted and the '
  'table is never truncated.';
COMMENT ON COLUMN audit_log.id IS
  'Entry number, in order of writing.';
COMMENT ON COLUMN audit_log.at IS
  'When the change was made.';
COMMENT ON COLUMN audit_log.actor IS
  'Name of the api_tokens token that made the change.';
COMMENT ON COLUMN audit_log.action IS
  'What was done; moderation is the only action.';
COMMENT ON COLUMN audit_log.proposal_id IS
  'The proposal changed; no foreign key, so that the log outlives anything done to proposals.';
COMMENT ON COLUMN audit_log.from_status IS
  'Status before the change: visible or hidden.';
COMMENT ON COLUMN audit_log.to_status IS
  'Status after the change: visible or hidden.';
COMMENT ON COLUMN audit_log.reason IS
  'Why the change was made, as the moderator gave it, 1 to 1000 characters.';

COMMENT ON INDEX audit_log_proposal IS
  'The history of one proposal, in order.';

COMMENT ON FUNCTION audit_log_append_only() IS
  'Refuses any update, delete or truncate of the audit log (insufficient_privilege).';

COMMENT ON TRIGGER audit_log_no_change ON audit_log IS
  'Before each row update or delete: the audit log is append-only.';
COMMENT ON TRIGGER audit_log_no_truncate ON audit_log IS
  'Before TRUNCATE audit_log: the audit log is never emptied.';
