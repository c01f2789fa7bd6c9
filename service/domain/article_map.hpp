// An article map as stored: for each article of a newer document, the predecessors suggested
// from the texts and the ones an admin confirmed, and which of them statistics use. Pure data.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace usynys::domain {

struct MapCandidate {
  std::string article;
  double score = 0;
};

struct MapPair {
  std::string article;  // of the newer document
  // Suggested predecessors, best first (empty: a new article), with the suggestion's score and
  // best candidates; nullopt when the article is no longer in force.
  std::optional<std::vector<std::string>> suggested;
  std::optional<double> score;
  std::vector<MapCandidate> candidates;
  std::optional<std::vector<std::string>> confirmed;  // by an admin; nullopt until then
  std::string confirmed_by;
  std::string confirmed_at;  // RFC 3339 UTC
  std::string reason;
  std::optional<std::string> flag;  // why a confirmation is set aside

  // A confirmation that still applies.
  bool confirmed_in_force() const { return confirmed.has_value() && !flag.has_value(); }
  // The predecessors in force: the confirmed ones, else the suggested ones.
  const std::vector<std::string>& predecessors() const {
    static const std::vector<std::string> none;
    if (confirmed_in_force()) return *confirmed;
    return suggested ? *suggested : none;
  }
  // Whether statistics through the map count this pair: confirmed, or suggested with at least
  // `min_score`.
  bool counts(double min_score) const {
    return confirmed_in_force() || (suggested && score && *score >= min_score);
  }
};

struct ArticleMap {
  std::string from;  // slugs
  std::string to;
  std::string method;
  std::string computed_at;     // RFC 3339 UTC
  std::vector<MapPair> pairs;  // by article id of the newer document
};

}  // namespace usynys::domain
