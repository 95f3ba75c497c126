// The declaration badge: our own artwork (never IPA's logo) showing the level as stars, 宣言 /
// "Declared", the declaration ID and optionally a QR code of the public verification URL. One
// layout is computed once and drawn twice: as an SVG document (selectable <text>) and as a PNG
// (cairo + pango). Pure apart from fontconfig: a view model in, bytes out.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>

#include "domain/error.hpp"
#include "domain/identifiers.hpp"
#include "i18n/catalogue.hpp"

namespace sengen::render {

inline constexpr int kMinBadgeLevel = 1;
inline constexpr int kMaxBadgeLevel = 5;  // ★ and ★★ today; room for the later levels

enum class BadgeSize { Small, Large };  // ~200 px wide for web footers, ~600 px for print
enum class BadgeLayout { Horizontal, Square };
enum class BadgeFormat { Svg, Png };

struct BadgeView {
    int level = 1;                 // 1..5, drawn as that many stars
    DeclarationId declaration_id;  // printed as its digits in 3-4-4 groups
    i18n::Lang lang = i18n::Lang::Ja;
    std::optional<std::string> verify_url;  // when set, a QR code of it (see verification_url)
    BadgeSize size = BadgeSize::Small;
    BadgeLayout layout = BadgeLayout::Horizontal;
};

// "{base_url}/verify/{id}", the page the QR code opens; base_url has no trailing slash.
std::string verification_url(std::string_view base_url, std::string_view declaration_id);

// Every problem with the view at once: level ("level", "range"), URL ("verify_url", "format": not
// an absolute http(s) URL of printable ASCII, or too long for a QR code). The ID is valid by its type.
Status validate(const BadgeView& view);

// A standalone SVG document (UTF-8) with a <title>/<desc>, its text as <text> elements.
Result<std::string> badge_svg(const BadgeView& view);

// PNG bytes, 8-bit RGBA with a transparent background outside the badge's rounded card.
Result<std::string> badge_png(const BadgeView& view);

// The badge's text for an <img alt> (also the SVG's <title>): "情報セキュリティ対策 自己宣言 ★★（二つ星）
// 自己宣言ID 50000228583". Plain digits, so screen readers and copy-paste get the exact ID.
std::string badge_alt_text(const BadgeView& view);

// Pixel size of the badge for this view (the SVG's width/height, the PNG's dimensions).
struct BadgeDimensions {
    int width = 0;
    int height = 0;
};
Result<BadgeDimensions> badge_dimensions(const BadgeView& view);

// Pays fontconfig's first-use cost (~200 ms) on the calling thread; call once at start-up.
void warm_up_badges();

// "sengen-badge-50000228583-2star-ja-small.png": a stable download name.
std::string badge_file_name(const BadgeView& view, BadgeFormat format);

std::string_view content_type(BadgeFormat format);  // "image/svg+xml", "image/png"

// Operator-supplied artwork that replaces the generated badge, e.g. official files the operator
// holds the rights to. Loaded once at start-up (the bytes, not paths, so a request does no I/O).
struct BadgeArtworkKey {
    int level = 1;
    BadgeSize size = BadgeSize::Small;
    BadgeFormat format = BadgeFormat::Png;
    std::optional<i18n::Lang> lang;  // nullopt: the file serves every language

    friend bool operator<(const BadgeArtworkKey& a, const BadgeArtworkKey& b) {
        auto lang_rank = [](const std::optional<i18n::Lang>& l) { return l ? static_cast<int>(*l) + 1 : 0; };
        return std::tuple(a.level, a.size, a.format, lang_rank(a.lang)) <
               std::tuple(b.level, b.size, b.format, lang_rank(b.lang));
    }
};

struct BadgeArtwork {
    std::map<BadgeArtworkKey, std::string> files;  // key -> the file's bytes
};

// Checks configured files before serving them: each is a PNG (by signature) or an SVG document
// as its key says, and its level is in range. Errors name the key ("artwork.level2.small.png").
Status validate_artwork(const BadgeArtwork& artwork);

struct Badge {
    enum class Origin { Generated, Configured };
    std::string bytes;
    std::string content_type;
    Origin origin = Origin::Generated;
};

// The badge to serve: the operator's file for (level, size, format) and the view's language (or
// any language) when one is configured, otherwise the generated one. The view is validated
// either way, so a bad ID never gets a badge.
Result<Badge> resolve_badge(const BadgeArtwork& artwork, const BadgeView& view, BadgeFormat format);

}  // namespace sengen::render
