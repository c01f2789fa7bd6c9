#include <cctype>
#include <set>

#include "domain/proposal.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"

namespace usynys::domain {
namespace {

std::string join_values(std::string_view label, auto const& values) {
  std::string s(label);
  s += " one of: ";
  bool first = true;
  for (std::string_view v : values) {
    if (!first) s += ", ";
    s += v;
    first = false;
  }
  return s;
}

// Normalises optional short text (name, region): NFC, trimmed, 1..max characters.
std::optional<std::string> short_text(const std::optional<std::string>& v, std::size_t max,
                                      const std::string& field, std::vector<FieldError>& errors) {
  if (!v) return std::nullopt;
  std::string t = normalize_text(*v);
  if (t.empty()) {
    errors.push_back({field, "must not be empty"});
  } else if (code_points(t) > max) {
    errors.push_back({field, "must be at most " + std::to_string(max) + " characters"});
  } else if (has_control_chars(t)) {
    errors.push_back({field, "must not contain control characters"});
  } else if (t.find_first_of("\r\n\t") != std::string::npos) {
    errors.push_back({field, "must be a single line"});
  }
  return t;
}

std::string long_text(const std::string& v, const std::string& field,
                      std::vector<FieldError>& errors) {
  std::string t = normalize_text(v);
  std::size_t n = code_points(t);
  if (n == 0) {
    errors.push_back({field, "must not be empty"});
  } else if (n > kMaxTextChars) {
    errors.push_back(
        {field, "must be at most 20000 characters after trimming (has " + std::to_string(n) + ")"});
  } else if (has_control_chars(t)) {
    errors.push_back(
        {field,
         "must not contain control characters other than tab, line feed and carriage return"});
  }
  return t;
}

bool is_twelve_digits(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Kazakhstan IIN/BIN check digit (the 12th): the first 11 digits weighted 1..11, mod 11; when
// that gives 10, weighted 3..11,1,2 instead; 10 again means no valid number has these digits.
bool valid_iin_bin(std::string_view d) {
  static constexpr int kFirst[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  static constexpr int kSecond[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
  auto weighted = [d](const int(&w)[11]) {
    int sum = 0;
    for (int i = 0; i < 11; ++i) sum += (d[static_cast<std::size_t>(i)] - '0') * w[i];
    return sum % 11;
  };
  int check = weighted(kFirst);
  if (check == 10) check = weighted(kSecond);
  return check != 10 && check == d[11] - '0';
}

}  // namespace

bool is_reserved_region(std::string_view region) {
  if (region.size() != kNoRegion.size()) return false;
  for (std::size_t i = 0; i < region.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(region[i])) != kNoRegion[i]) return false;
  }
  return true;
}

std::vector<ArticleRef> check_references(const Document& doc, const std::vector<ArticleRef>& refs,
                                         const std::string& pointer,
                                         std::vector<FieldError>& errors) {
  std::vector<ArticleRef> out;
  if (refs.size() > kMaxArticles) {
    errors.push_back({pointer, "must reference at most 50 articles"});
    return out;
  }
  std::set<std::string, std::less<>> seen;
  for (const ArticleRef& ref : refs) {
    std::string field = pointer + "/" + std::to_string(ref.index);
    const Article* a = doc.find(ref.article);
    if (a == nullptr) {
      errors.push_back({field, "document " + doc.slug + " has no article " + ref.article});
      continue;
    }
    if (a->repealed) {
      errors.push_back({field, "article " + ref.article + " is repealed"});
      continue;
    }
    if (!seen.insert(ref.article).second) {
      errors.push_back({field, "article " + ref.article + " is referenced twice"});
      continue;
    }
    if (ref.paragraph && !a->has_paragraph(*ref.paragraph)) {
      errors.push_back(
          {field + "/paragraph", "article " + ref.article + " has no paragraph " + *ref.paragraph});
      continue;
    }
    out.push_back(ref);
  }
  return out;
}

std::vector<FieldError> validate(const ProposalInput& in, const Document& doc, ValidProposal& out,
                                 const Origin& origin) {
  std::vector<FieldError> errors;
  out = ValidProposal{};
  out.document = doc.slug;

  if (!one_of(kSubmitterTypes, in.submitter_type)) {
    errors.push_back({"/submitter/type", join_values("must be", kSubmitterTypes)});
  }
  out.submitter_type = in.submitter_type;
  out.submitter_name = short_text(in.submitter_name, kMaxNameChars, "/submitter/name", errors);
  if (!in.submitter_name && in.submitter_type != "citizen" &&
      one_of(kSubmitterTypes, in.submitter_type)) {
    errors.push_back({"/submitter/name", "is required for submitter type " + in.submitter_type});
  }
  out.submitter_region =
      short_text(in.submitter_region, kMaxRegionChars, "/submitter/region", errors);
  if (out.submitter_region && is_reserved_region(*out.submitter_region)) {
    errors.push_back({"/submitter/region", std::string("\"") + std::string(kNoRegion) +
                                               "\" is reserved for proposals without a "
                                               "region: leave the region out"});
  }
  if (in.identifier) {
    std::string id = trim(*in.identifier);
    if (id.empty()) {
      errors.push_back({"/submitter/identifier", "must not be empty"});
    } else if (code_points(id) > kMaxIdentifierChars || has_any_control_char(id)) {
      errors.push_back({"/submitter/identifier", "must be at most 64 printable characters"});
    } else if (is_twelve_digits(id) && !valid_iin_bin(id)) {
      errors.push_back(
          {"/submitter/identifier", "is not a valid IIN/BIN: its check digit does not match"});
    }
    out.identifier = id;
  }

  if (!one_of(kChannels, in.channel))
    errors.push_back({"/channel", join_values("must be", kChannels)});
  out.channel = in.channel;
  if (in.language && !one_of(kLanguages, *in.language)) {
    errors.push_back({"/language", join_values("must be", kLanguages)});
  }
  out.language = in.language;
  if (!one_of(kKinds, in.kind)) errors.push_back({"/kind", join_values("must be", kKinds)});
  out.kind = in.kind;

  out.articles = check_references(doc, in.articles, "/articles", errors);

  out.text = long_text(in.text, "/text", errors);
  if (in.proposed_text) out.proposed_text = long_text(*in.proposed_text, "/proposed_text", errors);

  if (in.external_ref) {
    std::string ref = normalize_text(*in.external_ref);
    if (ref.empty() || code_points(ref) > kMaxExternalRefChars || has_any_control_char(ref)) {
      errors.push_back({"/external_ref", "must be 1 to 200 printable characters"});
    }
    out.external_ref = std::move(ref);
  }
  if (in.received_at) {
    if (!origin.import) {
      errors.push_back({"/received_at",
                        "is the time the server commits the proposal: only an import may set it"});
    } else if (std::optional<Instant> t = parse_rfc3339(*in.received_at, false); !t) {
      errors.push_back(
          {"/received_at", "must be an RFC 3339 time with its offset (2026-01-31T12:00:00+05:00)"});
    } else if (*t > std::chrono::time_point_cast<std::chrono::microseconds>(origin.now)) {
      errors.push_back({"/received_at", "is in the future"});
    } else {
      out.received_at = format_utc(*t);
    }
  }
  return errors;
}

std::string content_signature(const ValidProposal& p) {
  // Each field with its length, so that no two different proposals write the same string.
  std::string out;
  auto field = [&out](std::string_view name, const std::optional<std::string>& v) {
    out += name;
    if (v) {
      out += '=' + std::to_string(v->size()) + ':';
      out += *v;
    } else {
      out += '-';
    }
    out += '\n';
  };
  field("document", p.document);
  field("submitter_type", p.submitter_type);
  field("submitter_name", p.submitter_name);
  field("submitter_region", p.submitter_region);
  field("identifier", p.identifier);
  field("channel", p.channel);
  field("language", p.language);
  field("kind", p.kind);
  for (const ArticleRef& a : p.articles) {
    field("article", a.article);
    field("paragraph", a.paragraph);
  }
  field("text", p.text);
  field("proposed_text", p.proposed_text);
  field("external_ref", p.external_ref);
  field("received_at", p.received_at);
  return out;
}

}  // namespace usynys::domain
