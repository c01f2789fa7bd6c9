-- Breakdowns by region count the proposals without a region under "unspecified": no new
-- proposal may name that region (in any letter case), so that the key never collides with one.
-- NOT VALID: rows stored before are kept as they are.
ALTER TABLE proposals
  ADD CONSTRAINT proposals_region_not_reserved
    CHECK (lower(submitter_region) <> 'unspecified') NOT VALID;
