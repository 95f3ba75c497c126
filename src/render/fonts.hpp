// The font handling every PDF shares: one pango font map for the process (so that the fonts the
// first document loads serve every thread), and one lock under which documents are laid out one
// at a time (pango and fontconfig are not thread-safe, and it bounds the CPU PDF requests take).
#pragma once
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "domain/error.hpp"
#include "domain/lang.hpp"

#include <pango/pangocairo.h>

namespace sengen::render {

// Morisawa's BIZ UDPGothic (Debian's fonts-morisawa-bizud-gothic, OFL): a universal-design face
// with TrueType outlines, which cairo subsets to the glyphs a document uses. Noto Sans CJK (CFF)
// made every PDF carry about a megabyte of each face and most of its time went into compressing
// it (ADR 58). Characters the face lacks fall back through fontconfig to the other installed fonts.
inline constexpr const char* kDocumentFont = "BIZ UDPGothic";

PangoFontMap* shared_font_map();

// The family fontconfig gives for kDocumentFont: kDocumentFont itself when the face is installed,
// another family (whose PDFs are larger and slower) when it is not. main warns on a difference.
std::string document_font_in_use();
std::mutex& document_mutex();

inline constexpr double kPageWidth = 595.276;  // A4 in points
inline constexpr double kPageHeight = 841.890;

// An A4 PDF with this title: `draw` lays the pages out on the context (the last page is shown
// after it returns), under the document lock. Cairo's failures become an Unavailable error.
Result<std::string> render_pdf(const std::string& title, const std::function<void(cairo_t*)>& draw);

struct Rgb {
    double r, g, b;
};
inline constexpr Rgb kText{0.10, 0.10, 0.10};
inline constexpr Rgb kMuted{0.30, 0.30, 0.30};

struct LayoutFree {
    void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using Layout = std::unique_ptr<PangoLayout, LayoutFree>;

enum class Align { Left, Centre, Right };

struct LangPen;

// Drops the layouts TextPen keeps between documents (see fonts.cpp); a document drawn after it
// is byte for byte the one drawn with them (tests compare the two).
void forget_layouts();

// Text on a cairo surface in the document font and language: what both PDF documents (the
// self-assessment report, the basic policy) lay out their pages with.
class TextPen {
public:
    TextPen(cairo_t* cr, Lang lang);
    ~TextPen() = default;
    TextPen(const TextPen&) = delete;
    TextPen& operator=(const TextPen&) = delete;

    // A laid-out text `width` points wide (0: no wrapping), with `line_spacing` times the size
    // between its lines.
    Layout text(const std::string& s, double size, bool bold, double width, Align align = Align::Left,
                double line_spacing = 0) const;
    static double height(const Layout& l);
    static double width(const Layout& l);
    void colour(Rgb c) const { cairo_set_source_rgb(cr_, c.r, c.g, c.b); }
    void draw(const Layout& l, double x, double y, Rgb c) const;

protected:
    cairo_t* cr_;

private:
    LangPen* pen_;
};

}  // namespace sengen::render
