-- Proposals for staff, newest first: every field in clear but the identifier (its keyed hash, as
-- hex), and the article references "article[:paragraph]" in document order. Optional filters
-- (NULL: any): $1 document id, $2 submitter type, $3 channel, $4 language, $5 region, $6 from
-- (inclusive), $7 to (exclusive), $8 status, $9 article id, $10 section number, $11 full-text
-- query (websearch syntax) matched in each proposal's own text search configuration, $12 ids
-- below (keyset), $13 this id only; $14 row limit (NULL: all); $15 the external reference
-- (in any channel). Then the references' sources in the same order, and the estimated article
-- of an untagged proposal with its score (NULL when none), and the proposal's campaign (NULL
-- when in none). Also the text of the exports' cursor.
SELECT p.id, d.slug, p.submitter_type, p.submitter_name, p.submitter_region,
       encode(p.identifier_hash, 'hex'), p.channel, p.language, p.kind, p.text, p.proposed_text,
       to_char(p.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p.status,
       to_char(p.personal_data_purged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       ARRAY(SELECT pa.article_id || coalesce(':' || pa.paragraph, '')
               FROM proposal_articles pa
               JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id
              WHERE pa.proposal_id = p.id
              ORDER BY a.position),
       p.external_ref,
       ARRAY(SELECT pa.source
               FROM proposal_articles pa
               JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id
              WHERE pa.proposal_id = p.id
              ORDER BY a.position),
       s.estimated, s.scores[1], cm.campaign_id
  FROM proposals p
  JOIN documents d ON d.id = p.document_id
  LEFT JOIN proposal_suggestions s ON s.proposal_id = p.id AND s.estimated IS NOT NULL
  LEFT JOIN campaign_members cm ON cm.proposal_id = p.id
 WHERE ($1::integer IS NULL OR p.document_id = $1)
   AND ($2::text IS NULL OR p.submitter_type = $2)
   AND ($3::text IS NULL OR p.channel = $3)
   AND ($4::text IS NULL OR p.language = $4)
   AND ($5::text IS NULL OR p.submitter_region = $5)
   AND ($6::timestamptz IS NULL OR p.received_at >= $6)
   AND ($7::timestamptz IS NULL OR p.received_at < $7)
   AND ($8::text IS NULL OR p.status = $8)
   AND ($9::text IS NULL OR EXISTS (SELECT 1 FROM proposal_articles pa
                                     WHERE pa.proposal_id = p.id AND pa.article_id = $9))
   AND ($10::integer IS NULL OR EXISTS (
         SELECT 1 FROM proposal_articles pa
           JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id
          WHERE pa.proposal_id = p.id AND a.section_number = $10))
   -- Stored vectors (one branch per configuration, so that each can use the GIN index), and
   -- the vectors of proposals not indexed yet (search_pending, each looked up by id), computed
   -- here.
   AND ($11::text IS NULL
        OR p.id IN (
             SELECT s.proposal_id FROM proposal_search s
              WHERE (s.search_config = 'russian'::regconfig
                     AND s.search_tsv @@ websearch_to_tsquery('russian'::regconfig, $11))
                 OR (s.search_config = 'english'::regconfig
                     AND s.search_tsv @@ websearch_to_tsquery('english'::regconfig, $11))
                 OR (s.search_config = 'simple'::regconfig
                     AND s.search_tsv @@ websearch_to_tsquery('simple'::regconfig, $11))
             UNION ALL
             SELECT q.id
               FROM search_pending sp
              CROSS JOIN LATERAL (SELECT * FROM proposals q WHERE q.id = sp.proposal_id
                                  OFFSET 0) q
              WHERE proposal_search_vector(q.search_config, q.text, q.proposed_text)
                    @@ websearch_to_tsquery(q.search_config, $11)))
   AND ($12::bigint IS NULL OR p.id < $12)
   AND ($13::bigint IS NULL OR p.id = $13)
   AND ($15::text IS NULL OR p.external_ref = $15)
 ORDER BY p.id DESC
 LIMIT $14::bigint
