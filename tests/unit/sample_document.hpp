// A hand-made document shaped like kz-1995 for rule tests: articles 1..99 in 3 sections with
// "83-1" after "83", article 84 repealed, article 41 with paragraphs 1, 2, 3, 3-1, 4, 5.
#pragma once

#include <string>

#include "domain/document.hpp"

namespace usynys::test {

inline domain::Document sample_document() {
  domain::Document doc;
  doc.slug = "sample";
  doc.title = "Sample constitution";
  doc.sections = {{1, "I", "First"}, {2, "II", "Second"}, {3, "III", "Third"}};
  int position = 0;
  auto add = [&](const std::string& id, int section) {
    domain::Article a;
    a.id = id;
    a.position = ++position;
    a.section = section;
    a.text = "Article " + id + " text.";
    a.chars = static_cast<std::int64_t>(a.text.size());
    a.paragraph_labels = {"1", "2"};
    doc.articles.push_back(a);
  };
  for (int n = 1; n <= 99; ++n) {
    add(std::to_string(n), n <= 33 ? 1 : (n <= 66 ? 2 : 3));
    if (n == 83) add("83-1", 3);
  }
  for (auto& a : doc.articles) {
    if (a.id == "41") a.paragraph_labels = {"1", "2", "3", "3-1", "4", "5"};
    if (a.id == "84") {
      a.repealed = true;
      a.text.clear();
      a.chars = 0;
      a.paragraph_labels.clear();
    }
  }
  doc.index();
  return doc;
}

}  // namespace usynys::test
