-- The tagging queue: visible untagged proposals of document $1 whose suggestions are stored,
-- oldest first. Optional filters (NULL: any): $2 language (as matched), $3 channel; keyset: after
-- received_at $4 and id $5; $6 row limit. Id, received_at, channel, language, kind, submitter
-- type, text, suggested article ids and scores, and received_at in microseconds since the epoch
-- (for the cursor).
SELECT s.proposal_id,
       to_char(s.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       s.channel, s.language, p.kind, p.submitter_type, p.text, s.articles, s.scores,
       (extract(epoch FROM s.received_at) * 1000000)::bigint
  FROM proposal_suggestions s
  JOIN proposals p ON p.id = s.proposal_id
 WHERE s.document_id = $1
   AND s.untagged
   AND p.status = 'visible'
   AND ($2::text IS NULL OR s.language = $2)
   AND ($3::text IS NULL OR s.channel = $3)
   AND ($4::bigint IS NULL
        OR (s.received_at, s.proposal_id) > ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5::bigint))
 ORDER BY s.received_at, s.proposal_id
 LIMIT $6::bigint
