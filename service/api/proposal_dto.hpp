// JSON <-> proposal DTOs. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/proposal.hpp"

namespace usynys::api {

// Maps an array of article references (ids as strings or integers, or objects with "article"
// and optional "paragraph"; null: none) at JSON Pointer `pointer`, reporting each malformed
// entry. Whether they exist in a document is domain::check_references.
std::vector<domain::ArticleRef> map_article_refs(const nlohmann::json& arts,
                                                 const std::string& pointer,
                                                 std::vector<domain::FieldError>& errors);

// Maps a submission body (or a row of an import, which may also carry received_at) to
// ProposalInput, reporting every field of the wrong type, missing or unknown (JSON Pointer
// names). Rule checks against the document come later (domain::validate), and decide whether
// received_at is allowed.
domain::ProposalInput map_proposal(const nlohmann::json& body,
                                   std::vector<domain::FieldError>& errors);

// The one rulebook of a proposal, for the API and for imports alike: maps `body`, finds its
// document in `catalog` (the catalog's default when it names none), and checks every rule.
// Returns every field error, each once (a field whose shape was wrong is not also reported for
// its rules, nor its parent for a rule that broke only because the field could not be mapped);
// `out` holds the normalised proposal when there are none.
std::vector<domain::FieldError> check_proposal(const nlohmann::json& body,
                                               const domain::Catalog& catalog,
                                               const domain::Origin& origin,
                                               domain::ValidProposal& out);

// Appends to `errors` each member of `obj` not in `known`, named as `prefix` + "/" + the key.
void check_known(const nlohmann::json& obj, const std::set<std::string>& known,
                 const std::string& prefix, std::vector<domain::FieldError>& errors);

// An article id as a string: "41", "83-1", or a JSON integer 41; nullopt for anything else.
std::optional<std::string> article_id(const nlohmann::json& v);

nlohmann::json stored_proposal_json(const domain::StoredProposal& p);

// {"document","articles"} of the draft articles answering a decision, null when none.
nlohmann::json answered_by_json(const domain::Disposition& d);

// A standing decision as receipts show it: {"decision","reason","answered_by","decided_at",
// "applies_to"}.
nlohmann::json standing_disposition_json(const domain::StandingDisposition& d);

}  // namespace usynys::api
