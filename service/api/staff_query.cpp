#include "api/staff_query.hpp"

#include "domain/moderation.hpp"
#include "domain/proposal.hpp"
#include "domain/text.hpp"

namespace usynys::api {
namespace {

constexpr std::size_t kMaxSearchChars = 500;

const std::set<std::string, std::less<>> kStaffFilterParams = {"article", "section", "status", "q",
                                                               "external_ref"};

}  // namespace

void read_proposal_query(const Services& s, const Query& q,
                         const std::set<std::string, std::less<>>& extra, store::ProposalQuery& out,
                         std::vector<domain::FieldError>& errors) {
  errors.insert(errors.end(), q.errors.begin(), q.errors.end());
  std::set<std::string, std::less<>> allowed = kFilterParams;
  allowed.insert(kStaffFilterParams.begin(), kStaffFilterParams.end());
  allowed.insert(extra.begin(), extra.end());
  reject_unknown(q, allowed, errors);
  // The statistics filters, read the same way; but without `document` every document counts.
  stats::Filter f = parse_filter(q, std::string(), errors);
  out.submitter_type = f.submitter_type;
  out.channel = f.channel;
  out.language = f.language;
  out.region = f.region;
  out.from = f.from;
  out.to = f.to;
  const domain::Document* doc = nullptr;
  if (const std::string* slug = q.get("document")) {
    doc = s.catalog.find(*slug);
    auto id = s.staff.document_ids().find(*slug);
    if (doc == nullptr || id == s.staff.document_ids().end()) {
      doc = nullptr;
      errors.push_back({"?document", "no document " + *slug});
    } else {
      out.document_id = id->second;
    }
  }
  // Without a document, a filter names something of any document.
  auto any_document = [&](auto has) {
    if (doc != nullptr) return has(*doc);
    for (const auto& [slug, d] : s.catalog.documents) {
      if (has(d)) return true;
    }
    return false;
  };
  if (const std::string* article = q.get("article")) {
    if (!any_document([&](const domain::Document& d) { return d.find(*article) != nullptr; })) {
      errors.push_back({"?article", (doc != nullptr ? "the document has no article "
                                                    : "no document has an article ") +
                                        *article});
    } else {
      out.article = *article;
    }
  }
  if (const std::string* section = q.get("section")) {
    std::optional<int> n = domain::parse_section_number(*section);
    if (!n ||
        !any_document([&](const domain::Document& d) { return d.find_section(*n) != nullptr; })) {
      errors.push_back({"?section",
                        "must be a section of the document, as a roman numeral (IV) "
                        "or a number (4)"});
    } else {
      out.section = n;
    }
  }
  if (const std::string* status = q.get("status")) {
    if (!domain::one_of(domain::kStatuses, *status)) {
      errors.push_back({"?status", "must be one of: visible hidden"});
    } else {
      out.status = *status;
    }
  }
  if (const std::string* ref = q.get("external_ref")) {
    const std::string r = domain::normalize_text(*ref);
    if (r.empty() || domain::code_points(r) > domain::kMaxExternalRefChars) {
      errors.push_back({"?external_ref", "must be 1 to 200 printable characters"});
    } else {
      out.external_ref = r;
    }
  }
  if (const std::string* text = q.get("q")) {
    std::string t = domain::normalize_text(*text);
    if (t.empty() || domain::code_points(t) > kMaxSearchChars || domain::has_control_chars(t)) {
      errors.push_back({"?q", "must be 1 to 500 printable characters"});
    } else {
      out.text = std::move(t);
    }
  }
}

}  // namespace usynys::api
