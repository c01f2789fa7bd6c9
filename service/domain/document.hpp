// A document: one version of a constitution, its sections and articles in document order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usynys::domain {

struct Section {
  int number = 0;
  std::string roman;
  std::string title;
};

struct Article {
  std::string id;    // as the text numbers it: "41", "83-1"
  int position = 0;  // 1-based document order
  int section = 0;   // Section::number
  std::string text;
  std::vector<std::string> paragraph_labels;
  std::int64_t chars = 0;  // Unicode code points of the text (content weight)
  bool repealed = false;
  // The text and its chars in every language of the document; `text` and `chars` are those of
  // the reference language.
  std::map<std::string, std::string, std::less<>> texts;
  std::map<std::string, std::int64_t, std::less<>> chars_by_language;

  bool has_paragraph(std::string_view label) const;
};

class Document {
 public:
  std::string slug;
  std::string title;
  std::string version;
  std::string language;                // the reference language
  std::vector<std::string> languages;  // every language it is loaded in, sorted
  std::string sha256;                  // of the source files, hex
  std::vector<Section> sections;
  // The section titles in every language: language -> Section::number -> title (a section's
  // `title` is the reference language's).
  std::map<std::string, std::map<int, std::string>, std::less<>> section_titles;
  std::vector<Article> articles;  // document order

  // Rebuilds the id index and the totals; call after filling sections and articles.
  void index();

  // nullptr when the document has no article with that id.
  const Article* find(std::string_view id) const;
  const Section* find_section(int number) const;

  int articles_in_force() const { return articles_in_force_; }
  std::int64_t chars_in_force() const { return chars_in_force_; }
  // The same in one of `languages` (0 for another).
  std::int64_t chars_in_force(std::string_view lang) const;
  // Sections holding at least one article in force.
  int sections_in_force() const { return sections_in_force_; }

 private:
  std::map<std::string, std::size_t, std::less<>> by_id_;
  int articles_in_force_ = 0;
  std::int64_t chars_in_force_ = 0;
  std::map<std::string, std::int64_t, std::less<>> chars_in_force_by_language_;
  int sections_in_force_ = 0;
};

// The documents served, by slug, and the one a request naming none gets.
struct Catalog {
  std::map<std::string, Document, std::less<>> documents;
  std::string default_slug;
  // Article maps: newer slug -> the older slug whose articles it takes over.
  std::map<std::string, std::string, std::less<>> predecessors;
  // Suggested pairs of a map count through it (?via=) from this score up.
  double map_min_score = 0.3;

  // nullptr when no document has that slug.
  const Document* find(std::string_view slug) const;
};

// A section number as written: decimal ("4") or a roman numeral in any case ("IV", "iv");
// nullopt for anything else (zero, non-canonical numerals such as "IIII", over 3999).
std::optional<int> parse_section_number(std::string_view s);

// The canonical roman numeral of 1..3999.
std::string to_roman(int n);

}  // namespace usynys::domain
