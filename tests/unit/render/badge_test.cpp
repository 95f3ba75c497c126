// The declaration badge: SVG well-formed and complete, PNG decodable with transparency, the QR code
// decoding back to the verification URL (zbarimg), bad input rejected, configured artwork served.
#include "render/badge.hpp"

#include <cairo.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace sengen::render;
using sengen::Error;
using sengen::i18n::Lang;

namespace {

constexpr const char* kId = "50000228583";

BadgeView view(int level = 2, Lang lang = Lang::Ja, BadgeSize size = BadgeSize::Small,
               BadgeLayout layout = BadgeLayout::Horizontal) {
    return BadgeView{level, sengen::DeclarationId::from_stored(kId).value(), lang, std::nullopt, size, layout};
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + needle.size()))
        ++n;
    return n;
}

// A small XML well-formedness check: one root, balanced tags, quoted attributes, no raw '<' in
// text or values, and every '&' starting a known entity or a character reference. Returns "" or
// the first problem.
std::string xml_problem(const std::string& doc) {
    auto valid_entity = [&](std::size_t at) {
        auto semi = doc.find(';', at);
        if (semi == std::string::npos || semi - at > 8) return false;
        std::string e = doc.substr(at + 1, semi - at - 1);
        if (e == "amp" || e == "lt" || e == "gt" || e == "quot" || e == "apos") return true;
        if (e.size() > 1 && e[0] == '#')
            return e.find_first_not_of("0123456789", 1) == std::string::npos ||
                   (e[1] == 'x' && e.size() > 2 &&
                    e.find_first_not_of("0123456789abcdefABCDEF", 2) == std::string::npos);
        return false;
    };
    auto is_name_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.';
    };
    std::vector<std::string> open;
    int roots = 0;
    std::size_t i = 0;
    while (i < doc.size()) {
        char c = doc[i];
        if (c == '&') {
            if (!valid_entity(i)) return "bad entity at " + std::to_string(i);
            ++i;
            continue;
        }
        if (c != '<') {
            if (open.empty() && !std::isspace(static_cast<unsigned char>(c))) return "text outside the root";
            ++i;
            continue;
        }
        if (doc.compare(i, 2, "<?") == 0) {
            auto end = doc.find("?>", i);
            if (end == std::string::npos) return "unterminated processing instruction";
            i = end + 2;
            continue;
        }
        if (doc.compare(i, 4, "<!--") == 0) {
            auto end = doc.find("-->", i);
            if (end == std::string::npos) return "unterminated comment";
            i = end + 3;
            continue;
        }
        bool closing = doc.compare(i, 2, "</") == 0;
        i += closing ? 2 : 1;
        std::size_t start = i;
        while (i < doc.size() && is_name_char(doc[i])) ++i;
        std::string name = doc.substr(start, i - start);
        if (name.empty()) return "empty tag name at " + std::to_string(start);
        if (closing) {
            while (i < doc.size() && std::isspace(static_cast<unsigned char>(doc[i]))) ++i;
            if (i >= doc.size() || doc[i] != '>') return "bad end tag " + name;
            if (open.empty() || open.back() != name) return "mismatched </" + name + ">";
            open.pop_back();
            ++i;
            continue;
        }
        // Attributes.
        std::vector<std::string> seen;
        while (true) {
            while (i < doc.size() && std::isspace(static_cast<unsigned char>(doc[i]))) ++i;
            if (i >= doc.size()) return "unterminated tag " + name;
            if (doc[i] == '>' || doc.compare(i, 2, "/>") == 0) break;
            std::size_t a = i;
            while (i < doc.size() && is_name_char(doc[i])) ++i;
            std::string attr = doc.substr(a, i - a);
            if (attr.empty() || i >= doc.size() || doc[i] != '=') return "bad attribute in " + name;
            for (const auto& s : seen)
                if (s == attr) return "duplicate attribute " + attr;
            seen.push_back(attr);
            ++i;
            if (i >= doc.size() || (doc[i] != '"' && doc[i] != '\'')) return "unquoted attribute " + attr;
            char q = doc[i++];
            while (i < doc.size() && doc[i] != q) {
                if (doc[i] == '<') return "'<' in attribute " + attr;
                if (doc[i] == '&' && !valid_entity(i)) return "bad entity in attribute " + attr;
                ++i;
            }
            if (i >= doc.size()) return "unterminated attribute " + attr;
            ++i;
        }
        if (open.empty() && ++roots > 1) return "more than one root element";
        if (doc[i] == '/') {
            i += 2;
        } else {
            open.push_back(name);
            ++i;
        }
    }
    if (!open.empty()) return "unclosed <" + open.back() + ">";
    if (roots != 1) return "no root element";
    return "";
}

// The text content of the element that starts at `pos` (tags stripped).
std::string text_content_of_element_at(const std::string& doc, std::size_t pos, const std::string& tag) {
    auto end = doc.find("</" + tag + ">", pos);
    std::string inner = doc.substr(pos, end - pos);
    std::string text;
    bool in_tag = false;
    for (char c : inner) {
        if (c == '<') in_tag = true;
        if (!in_tag) text += c;
        if (c == '>') in_tag = false;
    }
    return text;
}

struct Png {
    std::uint32_t width = 0, height = 0;
    int bit_depth = 0, color_type = 0;
};

std::uint32_t be32(const std::string& s, std::size_t at) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

// The signature and the IHDR chunk, which PNG requires first (PNG spec §5.2, §11.2.2).
std::optional<Png> read_png_header(const std::string& bytes) {
    if (bytes.size() < 33 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return std::nullopt;
    if (be32(bytes, 8) != 13 || bytes.compare(12, 4, "IHDR") != 0) return std::nullopt;
    return Png{be32(bytes, 16), be32(bytes, 20), static_cast<unsigned char>(bytes[24]),
               static_cast<unsigned char>(bytes[25])};
}

struct Reader {
    const std::string* bytes;
    std::size_t at = 0;
};

cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
    auto* r = static_cast<Reader*>(closure);
    if (r->bytes->size() - r->at < length) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(data, r->bytes->data() + r->at, length);
    r->at += length;
    return CAIRO_STATUS_SUCCESS;
}

using SurfacePtr = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

SurfacePtr decode(const std::string& png) {
    Reader r{&png};
    return SurfacePtr(cairo_image_surface_create_from_png_stream(read_png, &r), cairo_surface_destroy);
}

// Alpha of a pixel of a decoded ARGB32 surface (cairo stores native-endian 32-bit words).
unsigned alpha_at(cairo_surface_t* s, int x, int y) {
    const unsigned char* data = cairo_image_surface_get_data(s);
    std::uint32_t px;
    std::memcpy(&px, data + y * cairo_image_surface_get_stride(s) + x * 4, 4);
    return px >> 24;
}

// External tools: missing ones skip loudly on a developer's machine and fail under CI=true.
bool on_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

bool have_tool(const std::string& name) {
    return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

#define REQUIRE_TOOL(name, package)                                                                        \
    do {                                                                                                   \
        if (!have_tool(name)) {                                                                            \
            if (on_ci()) FAIL() << name " is missing; install " package " (scripts/install-deps.sh test)"; \
            GTEST_SKIP() << "SKIPPED: " name " is missing; install " package " to run this test";          \
        }                                                                                                  \
    } while (0)

struct CommandResult {
    int status = -1;
    std::string out;
};

CommandResult run(const std::string& command) {
    CommandResult r;
    FILE* p = popen(command.c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    r.status = pclose(p);
    return r;
}

class TempFile {
public:
    explicit TempFile(const std::string& suffix) {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("sengen-badge-test-" + std::to_string(rd()) + suffix);
    }
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    void write(const std::string& bytes) const { std::ofstream(path_, std::ios::binary) << bytes; }
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

bool has_field_error(const Error& e, const std::string& field, const std::string& code) {
    for (const auto& f : e.fields)
        if (f.field == field && f.code == code) return true;
    return false;
}

}  // namespace

// --- SVG -----------------------------------------------------------------------------------------

TEST(BadgeSvg, well_formedness_check_catches_broken_documents) {
    EXPECT_EQ(xml_problem("<?xml version=\"1.0\"?>\n<a x=\"1&amp;2\"><b/>t &#39; &lt;</a>\n"), "");
    EXPECT_NE(xml_problem("<a>&b</a>"), "");
    EXPECT_NE(xml_problem("<a x=\"<\"></a>"), "");
    EXPECT_NE(xml_problem("<a><b></a></b>"), "");
    EXPECT_NE(xml_problem("<a x=1></a>"), "");
    EXPECT_NE(xml_problem("<a></a><a></a>"), "");
    EXPECT_NE(xml_problem("<a>"), "");
}

TEST(BadgeSvg, is_well_formed_xml_in_every_size_layout_and_language) {
    for (Lang lang : {Lang::Ja, Lang::En})
        for (BadgeSize size : {BadgeSize::Small, BadgeSize::Large})
            for (BadgeLayout layout : {BadgeLayout::Horizontal, BadgeLayout::Square})
                for (bool qr : {false, true}) {
                    BadgeView v = view(2, lang, size, layout);
                    if (qr) v.verify_url = verification_url("https://sengen.example.jp", kId);
                    auto svg = badge_svg(v);
                    ASSERT_TRUE(svg) << svg.error().code;
                    EXPECT_EQ(xml_problem(*svg), "") << *svg;
                }
}

TEST(BadgeSvg, japanese_badge_shows_the_id_and_the_word_declaration) {
    auto svg = badge_svg(view(1, Lang::Ja));
    ASSERT_TRUE(svg);
    EXPECT_NE(svg->find(kId), std::string::npos);
    EXPECT_NE(svg->find(">宣言<"), std::string::npos);  // the panel word, as selectable text
    EXPECT_NE(svg->find("情報セキュリティ対策"), std::string::npos);
    EXPECT_NE(svg->find("xml:lang=\"ja\""), std::string::npos);
    EXPECT_EQ(svg->find("認定"), std::string::npos);  // a declaration, never a certification
}

TEST(BadgeSvg, english_badge_says_declared_and_has_no_japanese_text) {
    auto svg = badge_svg(view(2, Lang::En));
    ASSERT_TRUE(svg);
    EXPECT_NE(svg->find(">Declared<"), std::string::npos);
    EXPECT_NE(svg->find("Information security"), std::string::npos);
    EXPECT_NE(svg->find(kId), std::string::npos);
    EXPECT_EQ(svg->find("宣言"), std::string::npos);
    EXPECT_NE(svg->find("xml:lang=\"en\""), std::string::npos);
}

TEST(BadgeSvg, shows_as_many_stars_as_the_level_in_text_and_drawing) {
    for (int level = 1; level <= 5; ++level) {
        auto svg = badge_svg(view(level));
        ASSERT_TRUE(svg);
        EXPECT_EQ(count(*svg, "★"), static_cast<std::size_t>(level)) << "level " << level;
        // The drawn stars: one closed ten-point path each, in the stars element.
        auto at = svg->find("class=\"stars\"");
        ASSERT_NE(at, std::string::npos);
        std::string d = svg->substr(at, svg->find("/>", at) - at);
        EXPECT_EQ(count(d, "Z"), static_cast<std::size_t>(level)) << "level " << level;
    }
}

TEST(BadgeSvg, has_a_title_and_description_for_screen_readers) {
    BadgeView v = view(2);
    v.verify_url = verification_url("https://sengen.example.jp", kId);
    auto svg = badge_svg(v);
    ASSERT_TRUE(svg);
    EXPECT_NE(svg->find("role=\"img\""), std::string::npos);
    auto title = svg->find("<title id=\"sengen-badge-50000228583-title\">");
    ASSERT_NE(title, std::string::npos);
    EXPECT_EQ(text_content_of_element_at(*svg, title, "title"), badge_alt_text(v));
    EXPECT_NE(badge_alt_text(v).find("二つ星"), std::string::npos);
    EXPECT_NE(svg->find("aria-labelledby=\"sengen-badge-50000228583-title sengen-badge-50000228583-desc\""),
              std::string::npos);
    EXPECT_NE(svg->find("https://sengen.example.jp/verify/50000228583</desc>"), std::string::npos);
}

TEST(BadgeSvg, id_is_shown_in_groups_but_copies_as_plain_digits) {
    auto svg = badge_svg(view());
    ASSERT_TRUE(svg);
    auto first_group = svg->find(">500<");
    ASSERT_NE(first_group, std::string::npos);
    auto text = svg->rfind("<text", first_group);
    EXPECT_EQ(text_content_of_element_at(*svg, text, "text"), kId);
    EXPECT_EQ(view().declaration_id.grouped(), "500 0022 8583");
}

TEST(BadgeSvg, escapes_markup_in_the_verification_url) {
    BadgeView v = view();
    v.verify_url = "https://sengen.example.jp/verify/50000228583?a=1&b='x'";
    auto svg = badge_svg(v);
    ASSERT_TRUE(svg) << svg.error().code;
    EXPECT_EQ(xml_problem(*svg), "");
    EXPECT_NE(svg->find("?a=1&amp;b=&#39;x&#39;"), std::string::npos);
    EXPECT_EQ(svg->find("&b="), std::string::npos);
}

TEST(BadgeSvg, passes_xmllint) {
    REQUIRE_TOOL("xmllint", "libxml2-utils");
    for (Lang lang : {Lang::Ja, Lang::En}) {
        BadgeView v = view(5, lang, BadgeSize::Large);
        v.verify_url = "https://sengen.example.jp/verify/50000228583?x=1&y=2";
        auto svg = badge_svg(v);
        ASSERT_TRUE(svg);
        TempFile f(".svg");
        f.write(*svg);
        CommandResult r = run("xmllint --noout " + f.path() + " 2>&1");
        EXPECT_EQ(r.status, 0) << r.out;
    }
}

// --- PNG -----------------------------------------------------------------------------------------

TEST(BadgePng, is_rgba_with_the_dimensions_of_the_svg) {
    for (Lang lang : {Lang::Ja, Lang::En})
        for (BadgeSize size : {BadgeSize::Small, BadgeSize::Large})
            for (BadgeLayout layout : {BadgeLayout::Horizontal, BadgeLayout::Square}) {
                BadgeView v = view(2, lang, size, layout);
                auto png = badge_png(v);
                ASSERT_TRUE(png);
                auto header = read_png_header(*png);
                ASSERT_TRUE(header);
                EXPECT_EQ(header->bit_depth, 8);
                EXPECT_EQ(header->color_type, 6);  // truecolour with alpha
                auto dims = badge_dimensions(v);
                ASSERT_TRUE(dims);
                EXPECT_EQ(header->width, static_cast<std::uint32_t>(dims->width));
                EXPECT_EQ(header->height, static_cast<std::uint32_t>(dims->height));
                auto svg = badge_svg(v);
                ASSERT_TRUE(svg);
                EXPECT_NE(svg->find("width=\"" + std::to_string(dims->width) + "\" height=\"" +
                                    std::to_string(dims->height) + "\""),
                          std::string::npos);
            }
}

TEST(BadgePng, small_is_200_px_wide_for_footers_and_large_600_for_print) {
    auto small = read_png_header(badge_png(view(1, Lang::Ja, BadgeSize::Small)).value());
    auto large = read_png_header(badge_png(view(1, Lang::Ja, BadgeSize::Large)).value());
    ASSERT_TRUE(small && large);
    EXPECT_EQ(small->width, 200u);
    EXPECT_EQ(large->width, 600u);
    EXPECT_EQ(large->height, 3 * small->height);
}

TEST(BadgePng, decodes_with_transparent_corners_and_an_opaque_card) {
    for (BadgeLayout layout : {BadgeLayout::Horizontal, BadgeLayout::Square}) {
        auto png = badge_png(view(2, Lang::Ja, BadgeSize::Small, layout));
        ASSERT_TRUE(png);
        SurfacePtr s = decode(*png);
        ASSERT_EQ(cairo_surface_status(s.get()), CAIRO_STATUS_SUCCESS);
        int w = cairo_image_surface_get_width(s.get());
        int h = cairo_image_surface_get_height(s.get());
        for (auto [x, y] : {std::pair{0, 0}, {w - 1, 0}, {0, h - 1}, {w - 1, h - 1}})
            EXPECT_EQ(alpha_at(s.get(), x, y), 0u) << "corner " << x << "," << y;
        EXPECT_EQ(alpha_at(s.get(), w / 2, h / 2), 255u);
        EXPECT_EQ(alpha_at(s.get(), w / 2, 0), 255u);  // the frame reaches the edge
    }
}

TEST(BadgePng, qr_code_decodes_back_to_the_verification_url) {
    REQUIRE_TOOL("zbarimg", "zbar-tools");
    const std::string url = verification_url("https://sengen.example.jp/", kId);
    ASSERT_EQ(url, "https://sengen.example.jp/verify/50000228583");
    for (BadgeSize size : {BadgeSize::Small, BadgeSize::Large})
        for (BadgeLayout layout : {BadgeLayout::Horizontal, BadgeLayout::Square}) {
            BadgeView v = view(2, Lang::Ja, size, layout);
            v.verify_url = url;
            auto png = badge_png(v);
            ASSERT_TRUE(png);
            TempFile f(".png");
            f.write(*png);
            // zbarimg complains on stderr about D-Bus in containers; only its stdout matters.
            CommandResult r = run("zbarimg --quiet --raw " + f.path() + " 2>/dev/null");
            EXPECT_EQ(r.status, 0);
            EXPECT_EQ(r.out, url + "\n") << "size " << static_cast<int>(size) << " layout " << static_cast<int>(layout);
        }
}

TEST(BadgePng, badge_without_url_has_no_qr_code) {
    REQUIRE_TOOL("zbarimg", "zbar-tools");
    auto png = badge_png(view(1, Lang::En, BadgeSize::Large));
    ASSERT_TRUE(png);
    TempFile f(".png");
    f.write(*png);
    CommandResult r = run("zbarimg --quiet --raw " + f.path() + " 2>/dev/null");
    EXPECT_NE(r.status, 0);
    EXPECT_EQ(r.out, "");
}

// --- Validation ----------------------------------------------------------------------------------

TEST(BadgeValidation, level_outside_one_to_five_is_rejected) {
    for (int level : {0, -1, 6, 100}) {
        auto svg = badge_svg(view(level));
        ASSERT_FALSE(svg) << level;
        EXPECT_EQ(svg.error().kind, Error::Kind::Invalid);
        EXPECT_TRUE(has_field_error(svg.error(), "level", "range"));
        EXPECT_FALSE(badge_png(view(level)));
    }
    EXPECT_TRUE(badge_svg(view(5)));
}

// The view holds a DeclarationId, so an ID of any other form cannot reach the renderer: the
// stored and typed forms are checked where they are read (identifiers_test.cpp).
TEST(BadgeValidation, id_that_is_not_eleven_ascii_digits_cannot_make_a_view) {
    for (std::string id :
         {"", "5000022858", "500002285831", "5000022858a", "500 0022 8583", "５0000228583", "50000228583\n"})
        EXPECT_FALSE(sengen::DeclarationId::from_stored(id)) << id;
}

TEST(BadgeValidation, url_that_cannot_be_carried_exactly_is_rejected) {
    for (std::string url :
         std::vector<std::string>{"https://例え.jp/verify/50000228583", "https://x.jp/verify/ 1", "javascript:alert(1)",
                                  "ftp://x.jp/verify/1", "https://x.jp/\"><script>", "https://", "https:///path",
                                  "https://x.jp/\x01", "https://x.jp/" + std::string(300, 'a')}) {
        BadgeView v = view();
        v.verify_url = url;
        auto svg = badge_svg(v);
        ASSERT_FALSE(svg) << url;
        EXPECT_TRUE(has_field_error(svg.error(), "verify_url", "format")) << url;
    }
}

TEST(BadgeValidation, every_problem_is_reported_at_once) {
    BadgeView v = view(9);
    v.verify_url = "nope";
    auto st = validate(v);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "badge.invalid");
    EXPECT_EQ(st.error().fields.size(), 2u);
}

// --- Configured artwork --------------------------------------------------------------------------

TEST(BadgeArtwork, configured_file_replaces_the_generated_badge) {
    const std::string official = std::string("\x89PNG\r\n\x1a\n", 8) + "operator's file";
    BadgeArtwork art;
    art.files[{2, BadgeSize::Small, BadgeFormat::Png, std::nullopt}] = official;
    ASSERT_TRUE(validate_artwork(art));

    auto served = resolve_badge(art, view(2, Lang::En), BadgeFormat::Png);
    ASSERT_TRUE(served);
    EXPECT_EQ(served->origin, Badge::Origin::Configured);
    EXPECT_EQ(served->bytes, official);
    EXPECT_EQ(served->content_type, "image/png");

    // Another level, size or format is still generated.
    for (auto [v, format] : {std::pair{view(1), BadgeFormat::Png},
                             {view(2, Lang::Ja, BadgeSize::Large), BadgeFormat::Png},
                             {view(2), BadgeFormat::Svg}}) {
        auto generated = resolve_badge(art, v, format);
        ASSERT_TRUE(generated);
        EXPECT_EQ(generated->origin, Badge::Origin::Generated);
        EXPECT_EQ(generated->content_type, content_type(format));
    }
}

TEST(BadgeArtwork, language_specific_file_wins_over_the_any_language_file) {
    const std::string any = "<svg xmlns=\"http://www.w3.org/2000/svg\">any</svg>";
    const std::string en = "<svg xmlns=\"http://www.w3.org/2000/svg\">en</svg>";
    BadgeArtwork art;
    art.files[{1, BadgeSize::Large, BadgeFormat::Svg, std::nullopt}] = any;
    art.files[{1, BadgeSize::Large, BadgeFormat::Svg, Lang::En}] = en;
    ASSERT_TRUE(validate_artwork(art));
    EXPECT_EQ(resolve_badge(art, view(1, Lang::En, BadgeSize::Large), BadgeFormat::Svg).value().bytes, en);
    EXPECT_EQ(resolve_badge(art, view(1, Lang::Ja, BadgeSize::Large), BadgeFormat::Svg).value().bytes, any);
}

TEST(BadgeArtwork, invalid_view_gets_no_badge_even_when_artwork_is_configured) {
    BadgeArtwork art;
    art.files[{1, BadgeSize::Small, BadgeFormat::Png, std::nullopt}] = std::string("\x89PNG\r\n\x1a\n", 8);
    BadgeView v = view(1);
    v.verify_url = "javascript:alert(1)";
    auto r = resolve_badge(art, v, BadgeFormat::Png);
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_field_error(r.error(), "verify_url", "format"));
}

TEST(BadgeArtwork, files_that_do_not_match_their_format_or_level_are_reported) {
    BadgeArtwork art;
    art.files[{1, BadgeSize::Small, BadgeFormat::Png, std::nullopt}] = "<svg></svg>";
    art.files[{2, BadgeSize::Large, BadgeFormat::Svg, Lang::Ja}] = "not an image";
    art.files[{7, BadgeSize::Small, BadgeFormat::Png, std::nullopt}] = std::string("\x89PNG\r\n\x1a\n", 8);
    auto st = validate_artwork(art);
    ASSERT_FALSE(st);
    EXPECT_TRUE(has_field_error(st.error(), "artwork.level1.small.png", "format"));
    EXPECT_TRUE(has_field_error(st.error(), "artwork.level2.large.ja.svg", "format"));
    EXPECT_TRUE(has_field_error(st.error(), "artwork.level7.small.png", "level"));
}

TEST(BadgeArtwork, download_names_say_what_the_file_is) {
    EXPECT_EQ(badge_file_name(view(2, Lang::Ja, BadgeSize::Small), BadgeFormat::Png),
              "sengen-badge-50000228583-2star-ja-small.png");
    EXPECT_EQ(badge_file_name(view(1, Lang::En, BadgeSize::Large, BadgeLayout::Square), BadgeFormat::Svg),
              "sengen-badge-50000228583-1star-en-large-square.svg");
}
