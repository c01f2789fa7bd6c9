-- Unfiltered: counted proposals of a document, and the untagged among them. $1 document id.
SELECT coalesce(sum(s.proposals), 0)::bigint, coalesce(sum(s.untagged), 0)::bigint
  FROM stats_proposal_daily_live s WHERE s.document_id = $1
