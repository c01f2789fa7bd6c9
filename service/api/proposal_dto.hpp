// JSON <-> proposal DTOs. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "domain/error.hpp"
#include "domain/proposal.hpp"

namespace usynys::api {

// Maps a submission body to ProposalInput, reporting every field of the wrong type, missing or
// unknown (JSON Pointer names). Rule checks against the document come later (domain::validate).
domain::ProposalInput map_proposal(const nlohmann::json& body,
                                   std::vector<domain::FieldError>& errors);

nlohmann::json stored_proposal_json(const domain::StoredProposal& p);

}  // namespace usynys::api
