#include "imports/xlsx_reader.hpp"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace usynys::imports {
namespace {

using namespace std::string_view_literals;

// Bytes of a zip entry handed to expat at a time.
constexpr std::size_t kChunkBytes = std::size_t{64} * 1024;
// Relationships, sheets and cell formats kept while finding the worksheet: far more than any
// workbook has, and a bound on what a hostile one can make us hold.
constexpr std::size_t kMaxParts = 1 << 20;
// XFD, the last column of a worksheet.
constexpr std::size_t kMaxColumns = 16384;
// Days from 1900-01-01 (1900 date system) to 1904-01-01 (1904 date system), counting Excel's
// 1900-02-29.
constexpr double k1904Offset = 1462;

constexpr std::string_view kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kStrictMainNs = "http://purl.oclc.org/ooxml/spreadsheetml/main";
constexpr std::string_view kPackageRelsNs =
    "http://schemas.openxmlformats.org/package/2006/relationships";
constexpr std::string_view kRelsNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr std::string_view kStrictRelsNs =
    "http://purl.oclc.org/ooxml/officeDocument/relationships";

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("xlsx: " + what);
}

std::string_view trim_blanks(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

template <class T>
std::optional<T> parse_unsigned(std::string_view s) {
  s = trim_blanks(s);
  T v{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The UTF-16 code unit of an `_xHHHH_` escape at s[i], if there is one.
std::optional<char32_t> xstring_escape(std::string_view s, std::size_t i) {
  if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return std::nullopt;
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(s.data() + i + 2, s.data() + i + 6, v, 16);
  if (ec != std::errc{} || end != s.data() + i + 6) return std::nullopt;
  return static_cast<char32_t>(v);
}

// OOXML strings (ST_Xstring) write characters XML cannot hold, such as CR, as `_xHHHH_` (UTF-16
// code units), and a literal `_x` as `_x005F_x`.
std::string decode_xstring(std::string_view s) {
  if (s.find("_x"sv) == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto unit = xstring_escape(s, i);
    if (!unit) {
      out.push_back(s[i++]);
      continue;
    }
    i += 7;
    char32_t cp = *unit;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      const auto low = xstring_escape(s, i);
      if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
        i += 7;
      } else {
        cp = 0xFFFD;
      }
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    append_utf8(out, cp);
  }
  return out;
}

// The shortest text that reads back as the same double; integers without a fraction or an
// exponent up to 1e17. Text that is not a number is kept as it is.
std::string number_text(std::string_view raw, double shift = 0) {
  raw = trim_blanks(raw);
  double x = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), x);
  if (ec != std::errc{} || end != raw.data() + raw.size() || !std::isfinite(x)) {
    return std::string(raw);
  }
  x += shift;
  if (x == 0) return "0";
  char buf[64];
  std::to_chars_result r{};
  if (std::trunc(x) == x && std::fabs(x) < 1e17) {
    r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 0);
  } else {
    r = std::to_chars(buf, buf + sizeof buf, x);
  }
  return std::string(buf, r.ptr);
}

// Whether a number format code shows a date or a time: a d, m, y, h or s that is not inside
// quotes, escaped, a fill or padding character, or in brackets (colours, conditions, locales),
// except the elapsed-time brackets [h], [mm], [ss]. Only the first section (positive numbers)
// counts.
bool is_date_format(std::string_view code) {
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    switch (c) {
      case ';':
        return false;
      case '"': {
        const auto close = code.find('"', i + 1);
        if (close == std::string_view::npos) return false;
        i = close;
        break;
      }
      case '\\':
      case '_':
      case '*':
        ++i;
        break;
      case '[': {
        const auto close = code.find(']', i + 1);
        if (close == std::string_view::npos) return false;
        const std::string_view inside = code.substr(i + 1, close - i - 1);
        if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos) {
          return true;
        }
        i = close;
        break;
      }
      default:
        if (std::strchr("dDmMyYhHsS", c) != nullptr) return true;
    }
  }
  return false;
}

bool is_builtin_date_format(unsigned id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

std::string column_name(std::size_t col) {
  std::string name;
  for (std::size_t n = col + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

// The column (from 0) of a cell reference such as "AB12"; nullopt when unreadable or past XFD.
std::optional<std::size_t> column_of(std::string_view ref) {
  std::size_t col = 0;
  std::size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
    col = col * 26 + static_cast<std::size_t>(ref[i] - 'A' + 1);
    if (col > kMaxColumns) return std::nullopt;
  }
  if (i == 0 || !parse_unsigned<std::size_t>(ref.substr(i))) return std::nullopt;
  return col - 1;
}

// --- zip ---------------------------------------------------------------------------------------

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileClose {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileClose>;

std::string zip_message(int code) {
  zip_error_t e;
  zip_error_init_with_code(&e, code);
  std::string m = zip_error_strerror(&e);
  zip_error_fini(&e);
  return m;
}

[[noreturn]] void fail_encrypted() {
  fail("the workbook is encrypted (password-protected); save it without a password");
}

// Excel writes a password-protected workbook not as a zip but as an OLE compound file that
// holds an "EncryptedPackage" stream, its name in UTF-16 in the file's directory; .xls files
// are OLE compound files too.
void refuse_compound_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail("cannot open the file");
  constexpr std::string_view kOleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv;
  char magic[8] = {};
  in.read(magic, sizeof magic);
  if (in.gcount() != sizeof magic || std::string_view(magic, sizeof magic) != kOleMagic) return;
  std::string needle;
  for (const char c : "EncryptedPackage"sv) {
    needle.push_back(c);
    needle.push_back('\0');
  }
  std::string window;
  std::vector<char> chunk(kChunkBytes);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    window.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (window.find(needle) != std::string::npos) fail_encrypted();
    if (window.size() > needle.size()) window.erase(0, window.size() - needle.size());
  }
  fail("not an .xlsx file: an OLE compound file (an .xls workbook?)");
}

// One entry of the archive, read front to back.
class Entry {
 public:
  Entry(zip_t* zip, zip_uint64_t index, std::string name) : name_(std::move(name)) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip, index, 0, &st) != 0) fail(name_ + ": " + zip_strerror(zip));
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && st.encryption_method != ZIP_EM_NONE) {
      fail_encrypted();
    }
    if ((st.valid & ZIP_STAT_SIZE) != 0) size_ = st.size;
    file_.reset(zip_fopen_index(zip, index, 0));
    if (!file_) {
      const zip_error_t* e = zip_get_error(zip);
      const int code = zip_error_code_zip(e);
      if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD) fail_encrypted();
      fail(name_ + ": " + zip_message(code));
    }
  }

  // Up to n bytes into buf; 0 at the end of the entry.
  std::size_t read(char* buf, std::size_t n) {
    const zip_int64_t got = zip_fread(file_.get(), buf, n);
    if (got < 0) {
      fail(name_ + ": damaged data: " + zip_error_strerror(zip_file_get_error(file_.get())));
    }
    return static_cast<std::size_t>(got);
  }

  const std::string& name() const { return name_; }
  std::uint64_t size() const { return size_; }

 private:
  std::string name_;
  std::uint64_t size_ = 0;
  ZipFilePtr file_;
};

std::optional<zip_uint64_t> locate(zip_t* zip, const std::string& name) {
  // Part names of a package are case-insensitive (ECMA-376 part 2, 9.1.1.1).
  const zip_int64_t i = zip_name_locate(zip, name.c_str(), ZIP_FL_NOCASE);
  if (i < 0) return std::nullopt;
  return static_cast<zip_uint64_t>(i);
}

// --- part names ----------------------------------------------------------------------------------

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned v = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16).ptr == s.data() + i + 3) {
      out.push_back(static_cast<char>(v));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The part a relationship of `source` ("xl/workbook.xml", or "" for the package) points to.
std::string resolve_target(std::string_view source, std::string_view target) {
  const std::string t = percent_decode(target);
  std::string joined;
  if (!t.empty() && t.front() == '/') {
    joined = t.substr(1);
  } else {
    const auto slash = source.rfind('/');
    joined = std::string(slash == std::string_view::npos ? "" : source.substr(0, slash + 1)) + t;
  }
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= joined.size()) {
    const auto slash = std::min(joined.find('/', start), joined.size());
    const std::string segment = joined.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string& segment : segments) {
    if (!out.empty()) out.push_back('/');
    out += segment;
  }
  return out;
}

// "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels"; "" -> "_rels/.rels".
std::string rels_part(std::string_view part) {
  const auto slash = part.rfind('/');
  const std::string_view dir = slash == std::string_view::npos ? "" : part.substr(0, slash + 1);
  const std::string_view file = slash == std::string_view::npos ? part : part.substr(slash + 1);
  return std::string(dir) + "_rels/" + std::string(file) + ".rels";
}

// --- expat ---------------------------------------------------------------------------------------

struct Name {
  std::string_view ns;
  std::string_view local;
};

// The parser is created with ' ' as namespace separator: "uri local", or "local" for names in
// no namespace (unprefixed attributes).
Name split(const XML_Char* name) {
  const std::string_view s(name);
  const auto space = s.rfind(' ');
  if (space == std::string_view::npos) return {{}, s};
  return {s.substr(0, space), s.substr(space + 1)};
}

bool main_ns(std::string_view ns) {
  return ns == kMainNs || ns == kStrictMainNs;
}

// An unprefixed attribute's value, or nullptr.
const XML_Char* attr(const XML_Char** attrs, std::string_view name) {
  for (const XML_Char** a = attrs; *a != nullptr; a += 2) {
    if (name == *a) return a[1];
  }
  return nullptr;
}

// The r:id attribute's value, or nullptr.
const XML_Char* relationship_id(const XML_Char** attrs) {
  for (const XML_Char** a = attrs; *a != nullptr; a += 2) {
    const Name n = split(*a);
    if (n.local == "id" && (n.ns == kRelsNs || n.ns == kStrictRelsNs)) return a[1];
  }
  return nullptr;
}

bool true_attr(const XML_Char* v) {
  return v != nullptr && (v == "1"sv || v == "true"sv);
}

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void start(const XML_Char* name, const XML_Char** attrs) = 0;
  virtual void end(const XML_Char* name) = 0;
  virtual void text(std::string_view) {}
  // True (once) when parsing should be suspended after the current element.
  virtual bool take_pause() { return false; }
};

// One zip entry parsed by expat, in chunks. Handler exceptions stop the parser and are thrown
// again from parse_all or step, so none crosses expat's C frames.
class XmlParser {
 public:
  XmlParser(Entry& entry, XmlHandler& handler)
      : entry_(entry), handler_(handler), parser_(XML_ParserCreateNS(nullptr, ' ')) {
    if (parser_ == nullptr) throw std::bad_alloc();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &XmlParser::on_start, &XmlParser::on_end);
    XML_SetCharacterDataHandler(parser_, &XmlParser::on_text);
    XML_SetStartDoctypeDeclHandler(parser_, &XmlParser::on_doctype);
  }
  ~XmlParser() { XML_ParserFree(parser_); }
  XmlParser(const XmlParser&) = delete;
  XmlParser& operator=(const XmlParser&) = delete;

  void parse_all() {
    while (step()) {
    }
  }

  // Parses one chunk, or up to the next pause the handler asks for; false once the document
  // has been parsed to its end.
  bool step() {
    if (finished_) return false;
    XML_Status status = XML_STATUS_OK;
    if (suspended_) {
      status = XML_ResumeParser(parser_);
    } else {
      void* buf = XML_GetBuffer(parser_, static_cast<int>(kChunkBytes));
      if (buf == nullptr) throw std::bad_alloc();
      const std::size_t n = entry_.read(static_cast<char*>(buf), kChunkBytes);
      bytes_ += n;
      final_ = n == 0;
      status = XML_ParseBuffer(parser_, static_cast<int>(n), final_ ? XML_TRUE : XML_FALSE);
    }
    if (error_) std::rethrow_exception(error_);
    if (status == XML_STATUS_ERROR) {
      fail(entry_.name() + ": not well-formed XML at line " +
           std::to_string(XML_GetCurrentLineNumber(parser_)) + ": " +
           XML_ErrorString(XML_GetErrorCode(parser_)));
    }
    suspended_ = status == XML_STATUS_SUSPENDED;
    if (!suspended_ && final_) finished_ = true;
    return !finished_;
  }

  std::uint64_t bytes() const { return bytes_; }

 private:
  void stop(std::exception_ptr e) {
    if (!error_) error_ = std::move(e);
    XML_StopParser(parser_, XML_FALSE);
  }

  template <class F>
  static void guarded(void* self, F f) {
    auto* p = static_cast<XmlParser*>(self);
    if (p->error_) return;
    try {
      f(*p);
    } catch (...) {
      p->stop(std::current_exception());
    }
  }

  static void on_start(void* self, const XML_Char* name, const XML_Char** attrs) {
    guarded(self, [&](XmlParser& p) { p.handler_.start(name, attrs); });
  }
  static void on_end(void* self, const XML_Char* name) {
    guarded(self, [&](XmlParser& p) {
      p.handler_.end(name);
      if (p.handler_.take_pause()) XML_StopParser(p.parser_, XML_TRUE);
    });
  }
  static void on_text(void* self, const XML_Char* s, int len) {
    guarded(self, [&](XmlParser& p) {
      p.handler_.text(std::string_view(s, static_cast<std::size_t>(len)));
    });
  }
  static void on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    guarded(self, [](XmlParser& p) { fail(p.entry_.name() + ": a DTD is not allowed"); });
  }

  Entry& entry_;
  XmlHandler& handler_;
  XML_Parser parser_;
  std::exception_ptr error_;
  std::uint64_t bytes_ = 0;
  bool suspended_ = false;
  bool final_ = false;
  bool finished_ = false;
};

// --- the parts before the worksheet -------------------------------------------------------------

// What a relationships part says, of the types read here.
class RelsHandler final : public XmlHandler {
 public:
  std::optional<std::string> office_document;
  std::optional<std::string> shared_strings;
  std::optional<std::string> styles;
  std::map<std::string, std::string> worksheets;  // Id -> Target

  void start(const XML_Char* name, const XML_Char** attrs) override {
    const Name n = split(name);
    if (n.ns != kPackageRelsNs || n.local != "Relationship") return;
    const XML_Char* id = attr(attrs, "Id");
    const XML_Char* type = attr(attrs, "Type");
    const XML_Char* target = attr(attrs, "Target");
    const XML_Char* mode = attr(attrs, "TargetMode");
    if (id == nullptr || type == nullptr || target == nullptr) return;
    if (mode != nullptr && mode == "External"sv) return;
    const std::string_view t(type);
    if (t.ends_with("/officeDocument")) {
      if (!office_document) office_document = target;
    } else if (t.ends_with("/sharedStrings")) {
      if (!shared_strings) shared_strings = target;
    } else if (t.ends_with("/styles")) {
      if (!styles) styles = target;
    } else if (t.ends_with("/worksheet")) {
      if (worksheets.size() >= kMaxParts) fail("too many relationships");
      worksheets.emplace(id, target);
    }
  }
  void end(const XML_Char*) override {}
};

struct SheetEntry {
  std::string name;
  std::string relationship;
};

class WorkbookHandler final : public XmlHandler {
 public:
  std::vector<SheetEntry> sheets;
  bool date1904 = false;

  void start(const XML_Char* name, const XML_Char** attrs) override {
    const Name n = split(name);
    if (!main_ns(n.ns)) return;
    if (n.local == "workbookPr") {
      date1904 = true_attr(attr(attrs, "date1904"));
    } else if (n.local == "sheets") {
      in_sheets_ = true;
    } else if (n.local == "sheet" && in_sheets_) {
      const XML_Char* sheet_name = attr(attrs, "name");
      const XML_Char* id = relationship_id(attrs);
      if (id == nullptr) return;
      if (sheets.size() >= kMaxParts) fail("too many sheets");
      sheets.push_back({sheet_name != nullptr ? sheet_name : "", id});
    }
  }
  void end(const XML_Char* name) override {
    const Name n = split(name);
    if (main_ns(n.ns) && n.local == "sheets") in_sheets_ = false;
  }

 private:
  bool in_sheets_ = false;
};

class StylesHandler final : public XmlHandler {
 public:
  // Whether each cell format (a cell's `s`) shows numbers as dates or times.
  std::vector<bool> date_formats() const {
    std::vector<bool> out;
    out.reserve(xf_formats_.size());
    for (const unsigned id : xf_formats_) {
      const auto custom = custom_.find(id);
      out.push_back(custom != custom_.end() ? custom->second : is_builtin_date_format(id));
    }
    return out;
  }

  void start(const XML_Char* name, const XML_Char** attrs) override {
    const Name n = split(name);
    if (!main_ns(n.ns)) return;
    if (n.local == "numFmt") {
      const XML_Char* id = attr(attrs, "numFmtId");
      const XML_Char* code = attr(attrs, "formatCode");
      const auto number = id != nullptr ? parse_unsigned<unsigned>(id) : std::nullopt;
      if (!number || code == nullptr) return;
      if (custom_.size() >= kMaxParts) fail("too many number formats");
      custom_[*number] = is_date_format(code);
    } else if (n.local == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (n.local == "xf" && in_cell_xfs_) {
      const XML_Char* id = attr(attrs, "numFmtId");
      if (xf_formats_.size() >= kMaxParts) fail("too many cell formats");
      xf_formats_.push_back(id != nullptr ? parse_unsigned<unsigned>(id).value_or(0) : 0);
    }
  }
  void end(const XML_Char* name) override {
    const Name n = split(name);
    if (main_ns(n.ns) && n.local == "cellXfs") in_cell_xfs_ = false;
  }

 private:
  std::map<unsigned, bool> custom_;
  std::vector<unsigned> xf_formats_;
  bool in_cell_xfs_ = false;
};

// Collects the text of <t> elements outside phonetic runs (<rPh>), as in <si> and <is>.
class RichText {
 public:
  void start(std::string_view local) {
    if (local == "rPh") {
      ++phonetic_;
    } else if (local == "t" && phonetic_ == 0) {
      in_t_ = true;
      t_.clear();
    }
  }
  void end(std::string_view local) {
    if (local == "rPh" && phonetic_ > 0) {
      --phonetic_;
    } else if (local == "t" && in_t_) {
      value_ += decode_xstring(t_);
      in_t_ = false;
    }
  }
  // False when the text is not wanted here.
  bool text(std::string_view s) {
    if (!in_t_) return false;
    t_ += s;
    return true;
  }
  std::size_t size() const { return value_.size() + t_.size(); }
  std::string take() {
    std::string out = std::move(value_);
    reset();
    return out;
  }
  void reset() {
    value_.clear();
    t_.clear();
    in_t_ = false;
    phonetic_ = 0;
  }

 private:
  std::string value_;
  std::string t_;
  bool in_t_ = false;
  int phonetic_ = 0;
};

class SharedStringsHandler final : public XmlHandler {
 public:
  SharedStringsHandler(std::vector<std::string>& out, std::size_t max_bytes)
      : out_(out), max_bytes_(max_bytes) {}

  void start(const XML_Char* name, const XML_Char**) override {
    const Name n = split(name);
    if (!main_ns(n.ns)) return;
    if (n.local == "si") {
      in_si_ = true;
      text_.reset();
    } else if (in_si_) {
      text_.start(n.local);
    }
  }
  void end(const XML_Char* name) override {
    const Name n = split(name);
    if (!main_ns(n.ns) || !in_si_) return;
    if (n.local == "si") {
      in_si_ = false;
      out_.push_back(text_.take());
      // Each string costs its object as well as its text.
      held_ += out_.back().size() + sizeof(std::string);
      check();
    } else {
      text_.end(n.local);
    }
  }
  void text(std::string_view s) override {
    if (in_si_ && text_.text(s)) check();
  }

 private:
  void check() const {
    if (held_ + text_.size() > max_bytes_) {
      fail("the shared strings are larger than " + std::to_string(max_bytes_) + " bytes");
    }
  }

  std::vector<std::string>& out_;
  std::size_t max_bytes_;
  std::size_t held_ = 0;
  bool in_si_ = false;
  RichText text_;
};

// --- the worksheet -------------------------------------------------------------------------------

struct Tables {
  std::vector<std::string> shared_strings;
  std::vector<bool> date_formats;
  bool date1904 = false;
};

struct SheetCell {
  std::size_t column = 0;
  std::string value;
  bool is_date = false;
};

// A worksheet row with at least one value.
struct SheetRow {
  std::size_t line = 0;
  std::vector<SheetCell> cells;
  std::string error;
};

class SheetHandler final : public XmlHandler {
 public:
  SheetHandler(const Tables& tables, std::size_t max_row_bytes, std::deque<SheetRow>& out)
      : tables_(tables), max_row_bytes_(max_row_bytes), out_(out) {}

  void start(const XML_Char* name, const XML_Char** attrs) override {
    const Name n = split(name);
    if (!main_ns(n.ns)) return;
    if (in_cell_) {
      if (n.local == "v") {
        in_v_ = true;
      } else if (n.local == "is") {
        in_is_ = true;
      } else if (in_is_) {
        inline_.start(n.local);
      }
    } else if (in_row_) {
      if (n.local == "c") start_cell(attrs);
    } else if (n.local == "row" && in_data_) {
      start_row(attrs);
    } else if (n.local == "sheetData") {
      in_data_ = true;
    }
  }

  void end(const XML_Char* name) override {
    const Name n = split(name);
    if (!main_ns(n.ns)) return;
    if (in_cell_) {
      if (n.local == "c") {
        end_cell();
      } else if (n.local == "v") {
        in_v_ = false;
      } else if (n.local == "is") {
        in_is_ = false;
      } else if (in_is_) {
        inline_.end(n.local);
      }
    } else if (in_row_ && n.local == "row") {
      end_row();
    } else if (n.local == "sheetData") {
      in_data_ = false;
    }
  }

  void text(std::string_view s) override {
    if (!in_cell_ || too_long_) return;
    if (in_v_) {
      v_ += s;
    } else if (!(in_is_ && inline_.text(s))) {
      return;
    }
    if (row_bytes_ + v_.size() + inline_.size() > max_row_bytes_) {
      too_long_ = true;
      row_error("row longer than " + std::to_string(max_row_bytes_) + " bytes");
    }
  }

  bool take_pause() override { return std::exchange(pause_, false); }

 private:
  void start_row(const XML_Char** attrs) {
    const XML_Char* r = attr(attrs, "r");
    const auto line = r != nullptr ? parse_unsigned<std::size_t>(r) : std::nullopt;
    row_ = SheetRow{};
    row_.line = line.value_or(last_line_ + 1);
    last_line_ = row_.line;
    next_column_ = 0;
    row_bytes_ = 0;
    too_long_ = false;
    in_row_ = true;
  }

  void end_row() {
    in_row_ = false;
    const bool blank = std::all_of(row_.cells.begin(), row_.cells.end(),
                                   [](const SheetCell& c) { return c.value.empty(); });
    if (blank && row_.error.empty()) return;
    out_.push_back(std::move(row_));
    pause_ = true;
  }

  void start_cell(const XML_Char** attrs) {
    in_cell_ = true;
    in_v_ = false;
    in_is_ = false;
    v_.clear();
    inline_.reset();
    const XML_Char* r = attr(attrs, "r");
    const XML_Char* t = attr(attrs, "t");
    const XML_Char* s = attr(attrs, "s");
    type_ = t != nullptr ? t : "n";
    style_ = s != nullptr ? parse_unsigned<std::size_t>(s).value_or(0) : 0;
    column_ = next_column_;
    if (r != nullptr) {
      const auto col = column_of(r);
      if (!col) {
        row_error("cell reference \"" + std::string(r).substr(0, 16) + "\" cannot be read");
        column_ = kMaxColumns;
        return;
      }
      column_ = *col;
    }
    if (column_ >= kMaxColumns) row_error("more than " + std::to_string(kMaxColumns) + " columns");
  }

  void end_cell() {
    in_cell_ = false;
    if (column_ >= kMaxColumns) return;
    next_column_ = column_ + 1;
    if (too_long_) return;
    SheetCell cell{column_, {}, false};
    if (type_ == "s") {
      if (!trim_blanks(v_).empty()) {
        const auto index = parse_unsigned<std::size_t>(v_);
        if (!index || *index >= tables_.shared_strings.size()) {
          row_error("cell " + column_name(column_) + std::to_string(row_.line) +
                    ": no shared string " + std::string(trim_blanks(v_)).substr(0, 20));
          return;
        }
        cell.value = tables_.shared_strings[*index];
      }
    } else if (type_ == "inlineStr") {
      cell.value = inline_.take();
    } else if (type_ == "str") {
      cell.value = decode_xstring(v_);
    } else if (type_ == "b") {
      const std::string_view b = trim_blanks(v_);
      cell.value = b == "1" ? "TRUE" : b == "0" ? "FALSE" : std::string(b);
    } else if (type_ == "n") {
      const bool date = style_ < tables_.date_formats.size() && tables_.date_formats[style_];
      cell.value = number_text(v_, date && tables_.date1904 ? k1904Offset : 0);
      if (date) {
        // Only a number is a serial; text that is not one stays plain text.
        double x = 0;
        const auto [end, ec] =
            std::from_chars(cell.value.data(), cell.value.data() + cell.value.size(), x);
        cell.is_date = !cell.value.empty() && ec == std::errc{} &&
                       end == cell.value.data() + cell.value.size();
      }
    } else {
      cell.value = std::string(v_);  // "e" (#N/A and the like), "d" (ISO 8601)
    }
    row_bytes_ += cell.value.size();
    if (row_bytes_ > max_row_bytes_) {
      too_long_ = true;
      row_error("row longer than " + std::to_string(max_row_bytes_) + " bytes");
      return;
    }
    row_.cells.push_back(std::move(cell));
  }

  void row_error(std::string what) {
    if (row_.error.empty()) row_.error = std::move(what);
    row_.cells.clear();
  }

  const Tables& tables_;
  std::size_t max_row_bytes_;
  std::deque<SheetRow>& out_;
  bool in_data_ = false;
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_v_ = false;
  bool in_is_ = false;
  bool too_long_ = false;
  bool pause_ = false;
  SheetRow row_;
  std::size_t last_line_ = 0;
  std::size_t next_column_ = 0;
  std::size_t row_bytes_ = 0;
  std::size_t column_ = 0;
  std::size_t style_ = 0;
  std::string type_;
  std::string v_;
  RichText inline_;
};

}  // namespace

// --- the reader ----------------------------------------------------------------------------------

struct XlsxReader::Impl {
  Impl(const std::filesystem::path& file, const XlsxOptions& options) {
    int code = 0;
    zip.reset(zip_open(file.c_str(), ZIP_RDONLY, &code));
    if (!zip) {
      if (code == ZIP_ER_NOZIP) {
        refuse_compound_file(file);
        fail("not an .xlsx file (not a zip archive)");
      }
      if (code == ZIP_ER_OPEN || code == ZIP_ER_NOENT || code == ZIP_ER_READ) {
        fail("cannot open the file: " + zip_message(code));
      }
      fail("not a readable zip archive: " + zip_message(code));
    }

    std::string workbook = "xl/workbook.xml";
    if (auto root = parse_rels("")) {
      if (root->office_document) workbook = resolve_target("", *root->office_document);
    }
    if (!locate(zip.get(), workbook)) fail("not an .xlsx workbook: no " + workbook);
    RelsHandler rels;
    if (auto r = parse_rels(workbook)) rels = std::move(*r);
    WorkbookHandler book;
    parse_part(workbook, book);
    tables.date1904 = book.date1904;

    std::string sheet_part;
    for (const SheetEntry& s : book.sheets) {
      const auto target = rels.worksheets.find(s.relationship);
      if (target == rels.worksheets.end()) continue;
      sheet_part = resolve_target(workbook, target->second);
      sheet_name = s.name;
      break;
    }
    if (sheet_part.empty()) fail("the workbook has no worksheet");

    if (rels.styles) {
      StylesHandler styles;
      parse_part(resolve_target(workbook, *rels.styles), styles);
      tables.date_formats = styles.date_formats();
    }
    const std::string strings_part = rels.shared_strings
                                         ? resolve_target(workbook, *rels.shared_strings)
                                         : resolve_target(workbook, "sharedStrings.xml");
    if (locate(zip.get(), strings_part)) {
      SharedStringsHandler strings(tables.shared_strings, options.max_shared_strings_bytes);
      parse_part(strings_part, strings);
    }

    const auto index = locate(zip.get(), sheet_part);
    if (!index) fail("the first worksheet (" + sheet_part + ") is missing from the archive");
    sheet_entry.emplace(zip.get(), *index, sheet_part);
    sheet_handler.emplace(tables, options.max_row_bytes, pending);
    sheet_parser.emplace(*sheet_entry, *sheet_handler);

    while (header.empty()) {
      if (pending.empty()) {
        if (!sheet_parser->step()) break;
        continue;
      }
      SheetRow row = std::move(pending.front());
      pending.pop_front();
      if (!row.error.empty()) {
        fail("header (row " + std::to_string(row.line) + "): " + row.error);
      }
      std::size_t width = 0;
      for (const SheetCell& c : row.cells) {
        if (!c.value.empty()) width = std::max(width, c.column + 1);
      }
      header.assign(width, std::string());
      for (SheetCell& c : row.cells) {
        if (c.column < width) header[c.column] = std::string(trim_blanks(c.value));
      }
    }
  }

  // The relationships of `part`, if it has any.
  std::optional<RelsHandler> parse_rels(const std::string& part) {
    const std::string name = rels_part(part);
    if (!locate(zip.get(), name)) return std::nullopt;
    RelsHandler rels;
    parse_part(name, rels);
    return rels;
  }

  void parse_part(const std::string& name, XmlHandler& handler) {
    const auto index = locate(zip.get(), name);
    if (!index) fail("no " + name + " in the archive");
    Entry entry(zip.get(), *index, name);
    XmlParser(entry, handler).parse_all();
  }

  bool next(Record& out) {
    while (pending.empty()) {
      if (!sheet_parser->step()) return false;
    }
    SheetRow row = std::move(pending.front());
    pending.pop_front();
    out.line = row.line;
    out.cells.clear();
    out.is_date.clear();
    out.error = std::move(row.error);
    if (!out.error.empty()) return true;
    out.cells.reserve(header.size());
    for (const std::string& name : header) out.cells.emplace_back(name, std::string());
    out.is_date.assign(header.size(), false);
    for (SheetCell& c : row.cells) {
      if (c.column < header.size()) {
        out.cells[c.column].second = std::move(c.value);
        out.is_date[c.column] = c.is_date;
      } else if (!c.value.empty()) {
        out.cells.clear();
        out.is_date.clear();
        out.error = "value in column " + column_name(c.column) + ", which has no header";
        break;
      }
    }
    return true;
  }

  ZipPtr zip;
  Tables tables;
  std::string sheet_name;
  std::vector<std::string> header;
  std::deque<SheetRow> pending;
  std::optional<Entry> sheet_entry;
  std::optional<SheetHandler> sheet_handler;
  std::optional<XmlParser> sheet_parser;
};

XlsxReader::XlsxReader(const std::filesystem::path& file, XlsxOptions options)
    : impl_(std::make_unique<Impl>(file, options)) {}
XlsxReader::~XlsxReader() = default;
XlsxReader::XlsxReader(XlsxReader&&) noexcept = default;
XlsxReader& XlsxReader::operator=(XlsxReader&&) noexcept = default;

bool XlsxReader::next(Record& out) {
  return impl_->next(out);
}
const std::vector<std::string>& XlsxReader::header() const {
  return impl_->header;
}
std::uint64_t XlsxReader::bytes_read() const {
  return impl_->sheet_parser->bytes();
}
const std::string& XlsxReader::sheet_name() const {
  return impl_->sheet_name;
}
std::uint64_t XlsxReader::sheet_bytes() const {
  return impl_->sheet_entry->size();
}

std::optional<std::string> excel_serial_to_rfc3339(double serial) {
  using namespace std::chrono;
  // 2958466 is 10000-01-01.
  if (!std::isfinite(serial) || serial < 0 || serial >= 2958466) return std::nullopt;
  if (serial >= 60 && serial < 61) return std::nullopt;
  const double whole = std::floor(serial);
  const auto day = static_cast<long>(whole);
  auto micros = static_cast<std::int64_t>(std::llround((serial - whole) * 86400e6));
  // A serial written with 15 significant digits (as some programs write them) is off by up to
  // half a unit in its last digit: 4 microseconds for today's dates. Spreadsheets keep times to
  // the millisecond, so within that error the nearest millisecond is meant.
  const double last_digit = std::pow(10.0, std::floor(std::log10(std::max(serial, 1.0))) - 14);
  const double tolerance = 0.5 * last_digit * 86400e6;
  const std::int64_t millis = (micros + 500) / 1000 * 1000;
  if (static_cast<double>(std::llabs(micros - millis)) <= tolerance) micros = millis;
  // Serial 1 is 1900-01-01; from 61 on Excel's count includes 1900-02-29.
  const sys_days base = sys_days(year(1899) / December / 31);
  const auto t = base + days(day >= 61 ? day - 1 : day) + microseconds(micros);
  const sys_days date = floor<days>(t);
  const year_month_day d(date);
  if (d.year() > year(9999)) return std::nullopt;
  const hh_mm_ss<microseconds> time(t - date);
  char buf[48];
  const auto frac = time.subseconds().count();
  const int n = std::snprintf(
      buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(d.year()),
      static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()),
      static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
      static_cast<int>(time.seconds().count()));
  std::string out(buf, static_cast<std::size_t>(n));
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
    out += buf;
  }
  out += 'Z';
  return out;
}

}  // namespace usynys::imports
