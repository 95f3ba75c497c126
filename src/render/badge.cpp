// The declaration badge. A Scene (shapes and text runs in pixels) is laid out once, with text
// measured by pango, then written out as SVG or painted with cairo, so both formats show the
// same design. The artwork is sengen's own: a navy card, gold stars, 宣言 and the ID.
#include "render/badge.hpp"
#include "render/fonts.hpp"
#include "render/xml_text.hpp"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <numbers>
#include <vector>

namespace sengen::render {
namespace {

using i18n::Lang;

// ---------------------------------------------------------------------------------------------
// Design constants. Lengths are in "units": 1 px in the small badge, 3 px in the large one.

struct Color {
    std::uint8_t r, g, b;
};
constexpr Color kNavy{0x12, 0x3B, 0x63};   // card frame and panel; 11.6:1 against white
constexpr Color kGold{0xF6, 0xB9, 0x1E};   // stars; 8.0:1 against navy
constexpr Color kWhite{0xFF, 0xFF, 0xFF};  // card interior and panel label
constexpr Color kInk{0x11, 0x18, 0x27};    // the ID digits; 17.7:1 against white
constexpr Color kMuted{0x47, 0x55, 0x69};  // small labels; 7.6:1 against white

constexpr const char* kFontFamily = kDocumentFont;  // the PDFs' face: one font loaded for all (ADR 58)
// Japanese Windows 10 and later include BIZ UDPGothic; the rest are the nearest faces elsewhere.
constexpr const char* kSvgFontFamily =
    "'BIZ UDPGothic','BIZ UDPゴシック','Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Hiragino Kaku Gothic ProN',"
    "'Yu Gothic',Meiryo,sans-serif";

constexpr std::size_t kMaxUrlLength = 256;  // keeps the QR code at version 10 or below (57 modules)
constexpr int kQuietZoneModules = 4;

struct Texts {
    const char* panel;      // beside or under the stars
    const char* programme;  // first line of the text block
    const char* id_label;   // above the ID digits
};
Texts texts_for(Lang lang) {
    if (lang == Lang::En) return {"Declared", "Information security", "Declaration ID"};
    return {"宣言", "情報セキュリティ対策", "自己宣言ID"};
}

double unit_px(BadgeSize size) { return size == BadgeSize::Large ? 3.0 : 1.0; }

// ---------------------------------------------------------------------------------------------
// The scene: what both back ends draw.

struct PathOp {
    enum class Kind { Move, Line, Arc, Rect, Close };
    Kind kind;
    double a = 0, b = 0, c = 0, d = 0, e = 0;  // Move/Line: x y; Arc: cx cy r from to; Rect: x y w h
};

struct Shape {
    std::vector<PathOp> ops;
    std::optional<Color> fill;
    std::optional<Color> stroke;
    double stroke_width = 0;
    std::string svg_id;  // for a group's aria description, when any
};

struct Piece {
    std::string text;
    double x = 0;
    double width = 0;  // measured advance width; the SVG's textLength
};

struct TextRun {
    std::vector<Piece> pieces;  // one <text>; the ID's digit groups are pieces of one run
    double baseline = 0;
    double px = 0;
    bool bold = false;
    Color color = kInk;
};

struct Scene {
    int width = 0;
    int height = 0;
    std::vector<Shape> shapes;  // drawn in order, then the text
    std::vector<TextRun> texts;
    std::string title;
    std::string desc;
    Lang lang = Lang::Ja;
    std::string id;  // for unique element ids when several badges share a page
};

// Rounded rectangle with per-corner radii (top-left, top-right, bottom-right, bottom-left).
std::vector<PathOp> rounded_rect(double x, double y, double w, double h, std::array<double, 4> r) {
    using K = PathOp::Kind;
    constexpr double pi = std::numbers::pi;
    std::vector<PathOp> ops;
    ops.push_back({K::Move, x + r[0], y});
    ops.push_back({K::Line, x + w - r[1], y});
    if (r[1] > 0) ops.push_back({K::Arc, x + w - r[1], y + r[1], r[1], -pi / 2, 0});
    ops.push_back({K::Line, x + w, y + h - r[2]});
    if (r[2] > 0) ops.push_back({K::Arc, x + w - r[2], y + h - r[2], r[2], 0, pi / 2});
    ops.push_back({K::Line, x + r[3], y + h});
    if (r[3] > 0) ops.push_back({K::Arc, x + r[3], y + h - r[3], r[3], pi / 2, pi});
    ops.push_back({K::Line, x, y + r[0]});
    if (r[0] > 0) ops.push_back({K::Arc, x + r[0], y + r[0], r[0], pi, 3 * pi / 2});
    ops.push_back({K::Close});
    return ops;
}

// A five-pointed star, point up, centred on (cx, cy) with outer radius r. The inner radius is a
// little fuller than the regular star's (0.382) so it stays a star at 10 px.
void add_star(std::vector<PathOp>& ops, double cx, double cy, double r) {
    using K = PathOp::Kind;
    constexpr double inner = 0.45;
    for (int i = 0; i < 10; ++i) {
        double radius = i % 2 == 0 ? r : r * inner;
        double angle = -std::numbers::pi / 2 + i * std::numbers::pi / 5;
        ops.push_back({i == 0 ? K::Move : K::Line, cx + radius * std::cos(angle), cy + radius * std::sin(angle)});
    }
    ops.push_back({K::Close});
}
// A point-up star of outer radius r reaches r above its centre and r*cos(36°) below it.
constexpr double kStarBottom = 0.80901699437494745;

// ---------------------------------------------------------------------------------------------
// Text measurement and drawing with pango. One function builds the pango context for both, with
// unhinted metrics and unrounded glyph positions, so widths scale linearly and the SVG's
// textLength and the PNG agree.

template <typename T, void (*F)(T*)>
struct Deleter {
    void operator()(T* p) const { F(p); }
};
void unref_gobject(void* p) { g_object_unref(p); }
using ContextPtr = std::unique_ptr<PangoContext, Deleter<void, unref_gobject>>;
using LayoutPtr = std::unique_ptr<PangoLayout, Deleter<void, unref_gobject>>;
using FontDescPtr = std::unique_ptr<PangoFontDescription, Deleter<PangoFontDescription, pango_font_description_free>>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, Deleter<cairo_surface_t, cairo_surface_destroy>>;
using CairoPtr = std::unique_ptr<cairo_t, Deleter<cairo_t, cairo_destroy>>;
using QrPtr = std::unique_ptr<QRcode, Deleter<QRcode, QRcode_free>>;

ContextPtr make_context(cairo_t* cr) {
    ContextPtr ctx(pango_cairo_create_context(cr));
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT);
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx.get(), options);
    cairo_font_options_destroy(options);
    pango_context_set_round_glyph_positions(ctx.get(), FALSE);
    pango_context_set_language(ctx.get(), pango_language_from_string("ja"));
    return ctx;
}

struct Metrics {
    double width = 0;
    double ink_top = 0;     // relative to the baseline (negative: above it)
    double ink_bottom = 0;  // relative to the baseline
    double baseline = 0;    // from the layout's top
};

LayoutPtr make_layout(PangoContext* ctx, const std::string& text, double px, bool bold) {
    LayoutPtr layout(pango_layout_new(ctx));
    FontDescPtr desc(pango_font_description_new());
    pango_font_description_set_family(desc.get(), kFontFamily);
    pango_font_description_set_weight(desc.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(desc.get(), px * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), desc.get());
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    return layout;
}

class Typesetter {
public:
    Typesetter()
        : surface_(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)),
          cr_(cairo_create(surface_.get())),
          ctx_(make_context(cr_.get())) {}

    Metrics measure(const std::string& text, double px, bool bold) const {
        LayoutPtr layout = make_layout(ctx_.get(), text, px, bold);
        PangoRectangle ink, logical;
        pango_layout_get_extents(layout.get(), &ink, &logical);
        double baseline = static_cast<double>(pango_layout_get_baseline(layout.get())) / PANGO_SCALE;
        Metrics m;
        m.width = static_cast<double>(logical.width) / PANGO_SCALE;
        m.ink_top = static_cast<double>(ink.y) / PANGO_SCALE - baseline;
        m.ink_bottom = static_cast<double>(ink.y + ink.height) / PANGO_SCALE - baseline;
        m.baseline = baseline;
        return m;
    }

    // The largest size up to `px` at which the text fits in max_width.
    double fit(const std::string& text, double px, bool bold, double max_width) const {
        double w = measure(text, px, bold).width;
        return w <= max_width ? px : px * max_width / w;
    }

private:
    SurfacePtr surface_;
    CairoPtr cr_;
    ContextPtr ctx_;
};

// A line of text placed by its ink box: `top` is where its ink starts.
struct Line {
    TextRun run;
    double ink_top = 0;  // relative to baseline
    double ink_height = 0;
    double width = 0;
};

Line make_line(const Typesetter& ts, const std::string& text, double px, bool bold, Color color, double max_width) {
    px = ts.fit(text, px, bold, max_width);
    Metrics m = ts.measure(text, px, bold);
    Line line;
    line.run.pieces.push_back({text, 0, m.width});
    line.run.px = px;
    line.run.bold = bold;
    line.run.color = color;
    line.ink_top = m.ink_top;
    line.ink_height = m.ink_bottom - m.ink_top;
    line.width = m.width;
    return line;
}

// The ID as three digit groups with a gap between them. The groups are separate pieces so the
// SVG's text copies as the plain 11 digits.
Line make_id_line(const Typesetter& ts, const std::string& id, double px, double max_width) {
    const std::array<std::string, 3> groups = {id.substr(0, 3), id.substr(3, 4), id.substr(7, 4)};
    constexpr double gap_em = 0.32;
    auto total_width = [&](double size) {
        double w = 2 * gap_em * size;
        for (const auto& g : groups) w += ts.measure(g, size, true).width;
        return w;
    };
    double w = total_width(px);
    if (w > max_width) px *= max_width / w;
    Line line;
    line.run.px = px;
    line.run.bold = true;
    line.run.color = kInk;
    double x = 0;
    double top = 0, bottom = 0;
    for (const auto& g : groups) {
        Metrics m = ts.measure(g, px, true);
        line.run.pieces.push_back({g, x, m.width});
        x += m.width + gap_em * px;
        top = std::min(top, m.ink_top);
        bottom = std::max(bottom, m.ink_bottom);
    }
    line.width = x - gap_em * px;
    line.ink_top = top;
    line.ink_height = bottom - top;
    return line;
}

// Stacks lines (with the gap before each) so their ink is centred in [y0, y1]; x per line.
void stack_lines(std::vector<Line>& lines, const std::vector<double>& gaps, double y0, double y1) {
    double total = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) total += lines[i].ink_height + (i ? gaps[i] : 0);
    double y = y0 + (y1 - y0 - total) / 2;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i) y += gaps[i];
        lines[i].run.baseline = y - lines[i].ink_top;
        y += lines[i].ink_height;
    }
}

void place_x(Line& line, double x) {
    for (auto& p : line.run.pieces) p.x += x;
}

// ---------------------------------------------------------------------------------------------
// QR code.

struct QrMatrix {
    int modules = 0;                 // including the quiet zone on each side
    std::vector<std::uint8_t> dark;  // modules * modules, row-major
};

// The index of (row, col) in a row-major square of `width` modules, computed in size_t so that the
// product cannot overflow int first.
std::size_t cell(int row, int col, int width) {
    return static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(col);
}

Result<QrMatrix> encode_qr(const std::string& url) {
    // Error correction M: 15% of the symbol can be lost (a scuffed print) at a modest size.
    QrPtr code(QRcode_encodeString(url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!code) return fail(Error::invalid({{"verify_url", "format"}}, "badge.invalid"));
    QrMatrix m;
    m.modules = code->width + 2 * kQuietZoneModules;
    m.dark.assign(static_cast<std::size_t>(m.modules) * static_cast<std::size_t>(m.modules), 0);
    for (int y = 0; y < code->width; ++y)
        for (int x = 0; x < code->width; ++x)
            m.dark[cell(y + kQuietZoneModules, x + kQuietZoneModules, m.modules)] =
                code->data[cell(y, x, code->width)] & 1;
    return m;
}

// Dark modules as rectangles, one per horizontal run, at (x, y) with integer module size.
Shape qr_shape(const QrMatrix& qr, double x, double y, double module) {
    Shape s;
    s.fill = kNavy;
    s.svg_id = "qr";
    for (int row = 0; row < qr.modules; ++row) {
        int col = 0;
        while (col < qr.modules) {
            if (!qr.dark[cell(row, col, qr.modules)]) {
                ++col;
                continue;
            }
            int start = col;
            while (col < qr.modules && qr.dark[cell(row, col, qr.modules)]) ++col;
            s.ops.push_back({PathOp::Kind::Rect, x + start * module, y + row * module, (col - start) * module, module});
        }
    }
    return s;
}

// ---------------------------------------------------------------------------------------------
// Layouts.

struct Common {
    double u;       // px per unit
    double border;  // card frame width
    double radius;  // card corner radius
    std::optional<QrMatrix> qr;
    double module = 0;  // QR module size in px (integer)
};

// The stars, centred in a box of width `avail` at (cx, cy_top); returns the ink height.
double add_stars(Shape& stars, int level, double cx, double top, double avail, double max_r) {
    constexpr double gap = 0.28;  // between stars, in outer radii
    double r = std::min(max_r, avail / (2.0 * level + gap * (level - 1)));
    double pitch = (2 + gap) * r;
    double x0 = cx - pitch * (level - 1) / 2;
    for (int i = 0; i < level; ++i) add_star(stars.ops, x0 + i * pitch, top + r, r);
    return r * (1 + kStarBottom);
}

std::string title_text(const BadgeView& v) {
    static constexpr std::array<const char*, 5> ja_levels = {"一つ星", "二つ星", "三つ星", "四つ星", "五つ星"};
    static constexpr std::array<const char*, 5> en_levels = {"one star", "two stars", "three stars", "four stars",
                                                             "five stars"};
    std::string stars;
    for (int i = 0; i < v.level; ++i) stars += "★";
    auto lvl = static_cast<std::size_t>(v.level - 1);
    if (v.lang == Lang::En)
        return "Information security self-declaration " + stars + " (" + en_levels[lvl] + "), declaration ID " +
               v.declaration_id.digits();
    return std::string("情報セキュリティ対策 自己宣言 ") + stars + "（" + ja_levels[lvl] + "） 自己宣言ID " +
           v.declaration_id.digits();
}

std::string desc_text(const BadgeView& v) {
    std::string d = v.lang == Lang::En ? "This business has declared, by itself, that it works on information security."
                                       : "この事業者は、情報セキュリティ対策に取り組むことを自ら宣言しました。";
    if (v.verify_url) d += (v.lang == Lang::En ? " Check the declaration at " : " 宣言の確認: ") + *v.verify_url;
    return d;
}

Scene layout_horizontal(const BadgeView& v, const Common& c, const Typesetter& ts) {
    const double u = c.u;
    const Texts t = texts_for(v.lang);
    Scene s;

    // The panel: stars over the panel word, on navy. Wide enough for the word at its size.
    const double panel_label_px = (v.lang == Lang::En ? 15 : 24) * u;
    const double panel_pad = 8 * u;
    Metrics label_m = ts.measure(t.panel, panel_label_px, true);
    double panel_w = std::max(72 * u, std::ceil(label_m.width + 2 * panel_pad));

    // The QR block at the right, inside the frame, with its quiet zone as the white margin.
    double qr_px = c.qr ? c.qr->modules * c.module : 0;
    double height = std::max(72 * u, qr_px + 2 * c.border);
    double width = c.qr ? 194 * u + qr_px : 200 * u;  // the same text width either way
    s.width = static_cast<int>(std::lround(width));
    s.height = static_cast<int>(std::lround(height));
    width = s.width;
    height = s.height;

    Shape card;
    card.ops = rounded_rect(c.border / 2, c.border / 2, width - c.border, height - c.border,
                            {c.radius, c.radius, c.radius, c.radius});
    card.fill = kWhite;
    card.stroke = kNavy;
    card.stroke_width = c.border;
    s.shapes.push_back(std::move(card));

    Shape panel;
    panel.ops = rounded_rect(0, 0, panel_w, height, {c.radius + c.border / 2, 0, 0, c.radius + c.border / 2});
    panel.fill = kNavy;
    s.shapes.push_back(std::move(panel));

    Shape stars;
    stars.fill = kGold;
    stars.svg_id = "stars";
    double stars_h_max = 20 * u;
    // Stars and word centred together; the star row's height depends on the level.
    Shape probe;
    double stars_h = add_stars(probe, v.level, 0, 0, panel_w - 2 * panel_pad, stars_h_max / (1 + kStarBottom));
    double gap = 7 * u;
    double label_h = label_m.ink_bottom - label_m.ink_top;
    double block = stars_h + gap + label_h;
    double top = (height - block) / 2;
    add_stars(stars, v.level, panel_w / 2, top, panel_w - 2 * panel_pad, stars_h_max / (1 + kStarBottom));
    s.shapes.push_back(std::move(stars));

    TextRun label;
    label.pieces.push_back({t.panel, (panel_w - label_m.width) / 2, label_m.width});
    label.px = panel_label_px;
    label.bold = true;
    label.color = kWhite;
    label.baseline = top + stars_h + gap - label_m.ink_top;
    s.texts.push_back(std::move(label));

    // The text block between the panel and the QR code (or the frame).
    double x0 = panel_w + 10 * u;
    double x1 = c.qr ? width - c.border - qr_px : width - 10 * u;  // the quiet zone is the margin
    double max_w = x1 - x0;
    std::vector<Line> lines;
    lines.push_back(make_line(ts, t.programme, 11 * u, false, kNavy, max_w));
    lines.push_back(make_line(ts, t.id_label, 9 * u, false, kMuted, max_w));
    lines.push_back(make_id_line(ts, v.declaration_id.digits(), 16 * u, max_w));
    stack_lines(lines, {0, 7 * u, 5 * u}, 0, height);
    for (auto& l : lines) {
        place_x(l, x0);
        s.texts.push_back(std::move(l.run));
    }

    if (c.qr) {
        double qx = width - c.border - qr_px;
        double qy = std::round((height - qr_px) / 2);
        s.shapes.push_back(qr_shape(*c.qr, qx, qy, c.module));
    }
    return s;
}

Scene layout_square(const BadgeView& v, const Common& c, const Typesetter& ts) {
    const double u = c.u;
    const Texts t = texts_for(v.lang);
    Scene s;
    const double width = 160 * u;
    const double pad = 12 * u;
    s.width = static_cast<int>(std::lround(width));

    // The band: stars over the panel word.
    const double band_h = 70 * u;
    const double label_px = (v.lang == Lang::En ? 20 : 26) * u;
    double label_size = ts.fit(t.panel, label_px, true, width - 2 * pad);
    Metrics label_m = ts.measure(t.panel, label_size, true);
    Shape probe;
    const double max_r = 11 * u;
    double stars_h = add_stars(probe, v.level, 0, 0, width - 2 * pad, max_r);
    double gap = 7 * u;
    double label_h = label_m.ink_bottom - label_m.ink_top;
    double top = (band_h - (stars_h + gap + label_h)) / 2;

    // The text block under the band, each line centred.
    double max_w = width - 2 * pad;
    std::vector<Line> lines;
    lines.push_back(make_line(ts, t.programme, 12 * u, false, kNavy, max_w));
    lines.push_back(make_line(ts, t.id_label, 9.5 * u, false, kMuted, max_w));
    lines.push_back(make_id_line(ts, v.declaration_id.digits(), 17 * u, max_w));
    double block_h = lines[0].ink_height + 8 * u + lines[1].ink_height + 5 * u + lines[2].ink_height;
    double text_top = band_h + 12 * u;
    double text_bottom = text_top + block_h;

    double qr_px = c.qr ? c.qr->modules * c.module : 0;
    double height = std::max(width, c.qr ? text_bottom + 2 * u + qr_px + c.border : text_bottom + 14 * u);
    s.height = static_cast<int>(std::lround(height));
    height = s.height;
    if (!c.qr) {  // centre the text in the space under the band
        text_top = band_h + (height - c.border - band_h - block_h) / 2;
        text_bottom = text_top + block_h;
    }

    Shape card;
    card.ops = rounded_rect(c.border / 2, c.border / 2, width - c.border, height - c.border,
                            {c.radius, c.radius, c.radius, c.radius});
    card.fill = kWhite;
    card.stroke = kNavy;
    card.stroke_width = c.border;
    s.shapes.push_back(std::move(card));

    Shape band;
    band.ops = rounded_rect(0, 0, width, band_h, {c.radius + c.border / 2, c.radius + c.border / 2, 0, 0});
    band.fill = kNavy;
    s.shapes.push_back(std::move(band));

    Shape stars;
    stars.fill = kGold;
    stars.svg_id = "stars";
    add_stars(stars, v.level, width / 2, top, width - 2 * pad, max_r);
    s.shapes.push_back(std::move(stars));

    TextRun label;
    label.pieces.push_back({t.panel, (width - label_m.width) / 2, label_m.width});
    label.px = label_size;
    label.bold = true;
    label.color = kWhite;
    label.baseline = top + stars_h + gap - label_m.ink_top;
    s.texts.push_back(std::move(label));

    stack_lines(lines, {0, 8 * u, 5 * u}, text_top, text_bottom);
    for (auto& l : lines) {
        place_x(l, (width - l.width) / 2);
        s.texts.push_back(std::move(l.run));
    }

    if (c.qr) {
        double qx = std::round((width - qr_px) / 2);
        double qy = std::round(text_bottom + 2 * u);
        s.shapes.push_back(qr_shape(*c.qr, qx, qy, c.module));
    }
    return s;
}

Result<Scene> build_scene(const BadgeView& v) {
    if (auto ok = validate(v); !ok) return fail(ok.error());
    Common c;
    c.u = unit_px(v.size);
    c.border = 2 * c.u;
    c.radius = 9 * c.u;
    if (v.verify_url) {
        auto qr = encode_qr(*v.verify_url);
        if (!qr) return fail(qr.error());
        c.qr = std::move(*qr);
        // Whole pixels per module so the PNG's modules have sharp edges: 2 px small, 5 px large.
        c.module = v.size == BadgeSize::Large ? 5 : 2;
    }
    Typesetter ts;
    Scene s = v.layout == BadgeLayout::Square ? layout_square(v, c, ts) : layout_horizontal(v, c, ts);
    s.title = title_text(v);
    s.desc = desc_text(v);
    s.lang = v.lang;
    s.id = v.declaration_id.digits();
    return s;
}

// ---------------------------------------------------------------------------------------------
// SVG back end.

std::string num(double v) {
    // Two decimals are a hundredth of a pixel; trailing zeros dropped to keep the file small.
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", std::abs(v) < 0.005 ? 0.0 : v);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

std::string hex(Color c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    return buf;
}

std::string path_data(const std::vector<PathOp>& ops) {
    using K = PathOp::Kind;
    std::string d;
    for (const auto& op : ops) {
        switch (op.kind) {
            case K::Move:
                d += "M" + num(op.a) + " " + num(op.b);
                break;
            case K::Line:
                d += "L" + num(op.a) + " " + num(op.b);
                break;
            case K::Arc:
                // Cairo's arcs here are quarter turns in the positive (clockwise on screen) sense.
                d += "A" + num(op.c) + " " + num(op.c) + " 0 0 1 " + num(op.a + op.c * std::cos(op.e)) + " " +
                     num(op.b + op.c * std::sin(op.e));
                break;
            case K::Rect:
                d += "M" + num(op.a) + " " + num(op.b) + "h" + num(op.c) + "v" + num(op.d) + "h" + num(-op.c) + "z";
                break;
            case K::Close:
                d += "Z";
                break;
        }
    }
    return d;
}

std::string write_svg(const Scene& s) {
    const std::string lang(i18n::code(s.lang));
    const std::string base = "sengen-badge-" + s.id;
    std::string o;
    o.reserve(8192);
    o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + std::to_string(s.width) +
         "\" height=\"" + std::to_string(s.height) + "\" viewBox=\"0 0 " + std::to_string(s.width) + " " +
         std::to_string(s.height) + "\" role=\"img\" xml:lang=\"" + lang + "\" lang=\"" + lang +
         "\" aria-labelledby=\"" + base + "-title " + base + "-desc\">\n";
    o += "<title id=\"" + base + "-title\">";
    append_xml_escaped(o, s.title);
    o += "</title>\n<desc id=\"" + base + "-desc\">";
    append_xml_escaped(o, s.desc);
    o += "</desc>\n";
    for (const auto& sh : s.shapes) {
        o += "<path";
        if (!sh.svg_id.empty()) o += " class=\"" + sh.svg_id + "\"";
        o += " d=\"" + path_data(sh.ops) + "\"";
        o += " fill=\"" + (sh.fill ? hex(*sh.fill) : std::string("none")) + "\"";
        if (sh.stroke) o += " stroke=\"" + hex(*sh.stroke) + "\" stroke-width=\"" + num(sh.stroke_width) + "\"";
        if (sh.svg_id == "qr") o += " shape-rendering=\"crispEdges\"";
        o += "/>\n";
    }
    o += "<g font-family=\"";
    append_xml_escaped(o, kSvgFontFamily);
    o += "\">\n";
    for (const auto& t : s.texts) {
        o += "<text y=\"" + num(t.baseline) + "\" font-size=\"" + num(t.px) + "\" font-weight=\"" +
             (t.bold ? "700" : "400") + "\" fill=\"" + hex(t.color) + "\">";
        for (const auto& p : t.pieces) {
            o += "<tspan x=\"" + num(p.x) + "\" textLength=\"" + num(p.width) + "\" lengthAdjust=\"spacingAndGlyphs\">";
            append_xml_escaped(o, p.text);
            o += "</tspan>";
        }
        o += "</text>\n";
    }
    o += "</g>\n</svg>\n";
    return o;
}

// ---------------------------------------------------------------------------------------------
// Cairo back end.

void set_color(cairo_t* cr, Color c) { cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0); }

void trace(cairo_t* cr, const std::vector<PathOp>& ops) {
    using K = PathOp::Kind;
    cairo_new_path(cr);
    for (const auto& op : ops) {
        switch (op.kind) {
            case K::Move:
                cairo_move_to(cr, op.a, op.b);
                break;
            case K::Line:
                cairo_line_to(cr, op.a, op.b);
                break;
            case K::Arc:
                cairo_arc(cr, op.a, op.b, op.c, op.d, op.e);
                break;
            case K::Rect:
                cairo_rectangle(cr, op.a, op.b, op.c, op.d);
                break;
            case K::Close:
                cairo_close_path(cr);
                break;
        }
    }
}

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

Result<std::string> paint_png(const Scene& s) {
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, s.width, s.height));
    CairoPtr cr(cairo_create(surface.get()));
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
        return fail(Error::unavailable("badge.render", cairo_status_to_string(cairo_status(cr.get()))));
    // A new image surface is fully transparent: only the card is painted.
    for (const auto& sh : s.shapes) {
        trace(cr.get(), sh.ops);
        if (sh.fill) {
            set_color(cr.get(), *sh.fill);
            if (sh.stroke)
                cairo_fill_preserve(cr.get());
            else
                cairo_fill(cr.get());
        }
        if (sh.stroke) {
            set_color(cr.get(), *sh.stroke);
            cairo_set_line_width(cr.get(), sh.stroke_width);
            cairo_stroke(cr.get());
        }
    }
    ContextPtr ctx = make_context(cr.get());
    for (const auto& t : s.texts) {
        set_color(cr.get(), t.color);
        for (const auto& p : t.pieces) {
            LayoutPtr layout = make_layout(ctx.get(), p.text, t.px, t.bold);
            double baseline = static_cast<double>(pango_layout_get_baseline(layout.get())) / PANGO_SCALE;
            cairo_move_to(cr.get(), p.x, t.baseline - baseline);
            pango_cairo_show_layout(cr.get(), layout.get());
        }
    }
    cairo_surface_flush(surface.get());
    std::string png;
    if (cairo_surface_write_to_png_stream(surface.get(), append_png, &png) != CAIRO_STATUS_SUCCESS)
        return fail(Error::unavailable("badge.render", "cairo could not write the PNG"));
    return png;
}

// RFC 3986 characters only (printable ASCII without space, quotes, angle brackets and the like):
// anything else would have to be percent-encoded first, and a QR code must carry the URL exactly.
bool is_url_char(char c) {
    if (c <= 0x20 || c >= 0x7F) return false;
    return std::string_view("\"<>\\^`{|}").find(c) == std::string_view::npos;
}

bool is_http_url(std::string_view url) {
    std::string_view rest;
    if (url.rfind("https://", 0) == 0)
        rest = url.substr(8);
    else if (url.rfind("http://", 0) == 0)
        rest = url.substr(7);
    else
        return false;
    if (rest.empty() || rest.front() == '/') return false;
    return std::all_of(url.begin(), url.end(), is_url_char);
}

std::string artwork_key_name(const BadgeArtworkKey& k) {
    std::string n = "artwork.level" + std::to_string(k.level);
    n += k.size == BadgeSize::Large ? ".large" : ".small";
    if (k.lang) n += "." + std::string(i18n::code(*k.lang));
    n += k.format == BadgeFormat::Png ? ".png" : ".svg";
    return n;
}

bool looks_like_png(std::string_view bytes) { return bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0; }

bool looks_like_svg(std::string_view bytes) {
    // An XML prolog or comments may come first; the root element must be <svg.
    auto pos = bytes.find("<svg");
    return pos < 4096 && bytes.find("</svg>") != std::string_view::npos;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public API.

std::string verification_url(std::string_view base_url, std::string_view declaration_id) {
    std::string url(base_url);
    while (!url.empty() && url.back() == '/') url.pop_back();
    url += "/verify/";
    url += declaration_id;
    return url;
}

Status validate(const BadgeView& view) {
    std::vector<FieldError> errors;
    if (view.level < kMinBadgeLevel || view.level > kMaxBadgeLevel) errors.push_back({"level", "range"});
    if (view.verify_url && (view.verify_url->size() > kMaxUrlLength || !is_http_url(*view.verify_url)))
        errors.push_back({"verify_url", "format"});
    if (!errors.empty()) return fail(Error::invalid(std::move(errors), "badge.invalid"));
    return {};
}

std::string badge_alt_text(const BadgeView& view) {
    return view.level >= kMinBadgeLevel && view.level <= kMaxBadgeLevel ? title_text(view) : std::string();
}

Result<BadgeDimensions> badge_dimensions(const BadgeView& view) {
    auto scene = build_scene(view);
    if (!scene) return fail(scene.error());
    return BadgeDimensions{scene->width, scene->height};
}

Result<std::string> badge_svg(const BadgeView& view) {
    auto scene = build_scene(view);
    if (!scene) return fail(scene.error());
    return write_svg(*scene);
}

Result<std::string> badge_png(const BadgeView& view) {
    auto scene = build_scene(view);
    if (!scene) return fail(scene.error());
    return paint_png(*scene);
}

void warm_up_badges() {
    // Loads fontconfig's configuration and the faces used by the badge.
    BadgeView v{1, DeclarationId::make(5, 1), Lang::Ja, std::nullopt, BadgeSize::Small, BadgeLayout::Horizontal};
    for (Lang lang : i18n::all_langs) {
        v.lang = lang;
        (void)badge_png(v);
    }
}

std::string badge_file_name(const BadgeView& view, BadgeFormat format) {
    std::string n = "sengen-badge-" + view.declaration_id.digits() + "-" + std::to_string(view.level) + "star-" +
                    std::string(i18n::code(view.lang)) + (view.size == BadgeSize::Large ? "-large" : "-small");
    if (view.layout == BadgeLayout::Square) n += "-square";
    return n + (format == BadgeFormat::Png ? ".png" : ".svg");
}

std::string_view content_type(BadgeFormat format) { return format == BadgeFormat::Png ? "image/png" : "image/svg+xml"; }

Status validate_artwork(const BadgeArtwork& artwork) {
    std::vector<FieldError> errors;
    for (const auto& [key, bytes] : artwork.files) {
        std::string name = artwork_key_name(key);
        if (key.level < kMinBadgeLevel || key.level > kMaxBadgeLevel)
            errors.push_back({name, "level"});
        else if (key.format == BadgeFormat::Png ? !looks_like_png(bytes) : !looks_like_svg(bytes))
            errors.push_back({name, "format"});
    }
    if (!errors.empty()) return fail(Error::invalid(std::move(errors), "badge.artwork"));
    return {};
}

Result<Badge> resolve_badge(const BadgeArtwork& artwork, const BadgeView& view, BadgeFormat format) {
    if (auto ok = validate(view); !ok) return fail(ok.error());
    for (std::optional<Lang> lang : {std::optional<Lang>(view.lang), std::optional<Lang>()}) {
        auto it = artwork.files.find(BadgeArtworkKey{view.level, view.size, format, lang});
        if (it != artwork.files.end())
            return Badge{it->second, std::string(content_type(format)), Badge::Origin::Configured};
    }
    auto bytes = format == BadgeFormat::Png ? badge_png(view) : badge_svg(view);
    if (!bytes) return fail(bytes.error());
    return Badge{std::move(*bytes), std::string(content_type(format)), Badge::Origin::Generated};
}

}  // namespace sengen::render
