-- The proposals holding any of the band keys $1 (bigint[] literal), and the earliest proposal
-- of each exact hash $2 in the documents $3: key (NULL for an exact match), proposal id, its
-- MinHash (hex), its campaign (NULL when in none), that campaign's members, its document and
-- exact hash.
SELECT b.key, b.proposal_id, encode(s.minhash, 'hex'), cm.campaign_id, c.members_total,
       s.document_id, s.exact
  FROM campaign_bands b
  JOIN campaign_signatures s ON s.proposal_id = b.proposal_id
  LEFT JOIN campaign_members cm ON cm.proposal_id = b.proposal_id
  LEFT JOIN campaigns c ON c.id = cm.campaign_id
 WHERE b.key = ANY ($1::bigint[])
UNION ALL
SELECT NULL, e.proposal_id, encode(e.minhash, 'hex'), cm.campaign_id, c.members_total,
       e.document_id, e.exact
  FROM (SELECT DISTINCT ON (s.document_id, s.exact) s.proposal_id, s.minhash, s.document_id,
               s.exact
          FROM campaign_signatures s
         WHERE s.exact = ANY ($2::bigint[]) AND s.document_id = ANY ($3::integer[])
         ORDER BY s.document_id, s.exact, s.proposal_id) e
  LEFT JOIN campaign_members cm ON cm.proposal_id = e.proposal_id
  LEFT JOIN campaigns c ON c.id = cm.campaign_id
