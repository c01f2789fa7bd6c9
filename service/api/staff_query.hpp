// The filters of the staff list and the exports: the statistics' filters (without `document`
// every document counts) plus article, section, status and q (full-text search).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "api/query.hpp"
#include "api/services.hpp"
#include "domain/error.hpp"
#include "store/staff_store.hpp"

namespace usynys::api {

// Reads the filters of `q` into `out`, allowing `extra` parameters too; appends what is wrong.
void read_proposal_query(const Services& s, const Query& q,
                         const std::set<std::string, std::less<>>& extra, store::ProposalQuery& out,
                         std::vector<domain::FieldError>& errors);

}  // namespace usynys::api
