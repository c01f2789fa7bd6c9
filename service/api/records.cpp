#include "api/records.hpp"

namespace usynys::api {

using nlohmann::json;

namespace {

json optional_json(const std::optional<std::string>& v) {
  return v ? json(*v) : json(nullptr);
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

constexpr std::string_view kCsvColumns[] = {"id",
                                            "document",
                                            "submitter_type",
                                            "submitter_name",
                                            "submitter_region",
                                            "has_identifier",
                                            "identifier_hash",
                                            "channel",
                                            "language",
                                            "kind",
                                            "articles",
                                            "text",
                                            "proposed_text",
                                            "received_at",
                                            "status",
                                            "personal_data_purged_at",
                                            "external_ref",
                                            "campaign"};

}  // namespace

json proposal_record_json(const store::ProposalRecord& p) {
  json articles = json::array();
  for (std::size_t i = 0; i < p.articles.size(); ++i) {
    const domain::ArticleRef& a = p.articles[i];
    articles.push_back(
        {{"article", a.article},
         {"paragraph", optional_json(a.paragraph)},
         {"source", i < p.article_sources.size() ? p.article_sources[i] : "submitter"}});
  }
  // An untagged proposal shows its estimate, the reference statistics count when asked to
  // include suggestions.
  if (p.articles.empty() && p.estimate) {
    articles.push_back({{"article", p.estimate->article},
                        {"paragraph", nullptr},
                        {"source", "suggested"},
                        {"score", p.estimate->score}});
  }
  return {{"id", std::to_string(p.id)},
          {"document", p.document},
          {"submitter",
           {{"type", p.submitter_type},
            {"name", optional_json(p.submitter_name)},
            {"region", optional_json(p.submitter_region)},
            {"has_identifier", p.identifier_hash.has_value()},
            {"identifier_hash", optional_json(p.identifier_hash)}}},
          {"channel", p.channel},
          {"language", optional_json(p.language)},
          {"kind", p.kind},
          {"articles", std::move(articles)},
          {"text", p.text},
          {"proposed_text", optional_json(p.proposed_text)},
          {"received_at", p.received_at},
          {"status", p.status},
          {"personal_data_purged_at", optional_json(p.personal_data_purged_at)},
          {"external_ref", optional_json(p.external_ref)},
          {"campaign", p.campaign ? json(std::to_string(*p.campaign)) : json(nullptr)}};
}

std::string csv_header() {
  std::string out;
  for (std::string_view c : kCsvColumns) {
    if (!out.empty()) out += ',';
    out += c;
  }
  out += "\r\n";
  return out;
}

void append_csv_record(const store::ProposalRecord& p, std::string& out) {
  std::string articles;
  for (const domain::ArticleRef& a : p.articles) {
    if (!articles.empty()) articles += ';';
    articles += a.article;
    if (a.paragraph) articles += ":" + *a.paragraph;
  }
  const std::string id = std::to_string(p.id);
  const std::string campaign = p.campaign ? std::to_string(*p.campaign) : std::string();
  // Views of the record's own strings (no temporaries); absent values are empty fields.
  auto view = [](const std::optional<std::string>& v) {
    return v ? std::string_view(*v) : std::string_view();
  };
  const std::string_view fields[] = {id,
                                     p.document,
                                     p.submitter_type,
                                     view(p.submitter_name),
                                     view(p.submitter_region),
                                     p.identifier_hash ? "true" : "false",
                                     view(p.identifier_hash),
                                     p.channel,
                                     view(p.language),
                                     p.kind,
                                     articles,
                                     p.text,
                                     view(p.proposed_text),
                                     p.received_at,
                                     p.status,
                                     view(p.personal_data_purged_at),
                                     view(p.external_ref),
                                     campaign};
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out += ',';
    first = false;
    append_csv_field(out, f);
  }
  out += "\r\n";
}

void append_jsonl_record(const store::ProposalRecord& p, std::string& out) {
  out += dump(proposal_record_json(p));
  out += '\n';
}

void append_csv_field(std::string& out, std::string_view field) {
  // A spreadsheet runs a cell starting with one of these as a formula; submitted text is not
  // to be run on an analyst's machine.
  const bool formula =
      !field.empty() && std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos;
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    if (formula) out += '\'';
    out += field;
    return;
  }
  out += '"';
  if (formula) out += '\'';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace usynys::api
