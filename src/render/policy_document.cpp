// The policy PDF. Paragraphs are placed line by line, so that a long section flows onto the next
// page instead of running off this one; every page gets the footer.
#include "render/policy_document.hpp"

#include <algorithm>
#include <memory>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "render/fonts.hpp"

namespace sengen::render {

namespace {

constexpr double kPageWidth = 595.276;  // A4 in points
constexpr double kPageHeight = 841.890;
constexpr double kMargin = 64.0;
constexpr double kTop = 64.0;
constexpr double kBottom = kPageHeight - 72.0;  // the footer lives below this line
constexpr double kWidth = kPageWidth - 2 * kMargin;

struct Rgb {
    double r, g, b;
};
constexpr Rgb kText{0.10, 0.10, 0.10};
constexpr Rgb kMuted{0.30, 0.30, 0.30};
constexpr Rgb kRule{0.58, 0.58, 0.58};

struct LayoutFree {
    void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using Layout = std::unique_ptr<PangoLayout, LayoutFree>;

enum class Align { Left, Centre, Right };

class Pages {
public:
    Pages(cairo_t* cr, const PolicyPdf& p) : cr_(cr), p_(p) {
        ctx_ = pango_font_map_create_context(shared_font_map());
        pango_cairo_update_context(cr_, ctx_);
        pango_context_set_language(ctx_, pango_language_from_string(p.lang == "en" ? "en" : "ja"));
    }
    ~Pages() { g_object_unref(ctx_); }
    Pages(const Pages&) = delete;
    Pages& operator=(const Pages&) = delete;

    Layout text(const std::string& s, double size, bool bold, double width, Align align = Align::Left) {
        Layout l(pango_layout_new(ctx_));
        PangoFontDescription* fd = pango_font_description_new();
        pango_font_description_set_family(fd, kDocumentFont);
        pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
        pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(l.get(), fd);
        pango_font_description_free(fd);
        if (width > 0) {
            pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
            pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
        }
        pango_layout_set_alignment(l.get(), align == Align::Centre  ? PANGO_ALIGN_CENTER
                                            : align == Align::Right ? PANGO_ALIGN_RIGHT
                                                                    : PANGO_ALIGN_LEFT);
        // Line spacing that reads comfortably in Japanese.
        pango_layout_set_spacing(l.get(), static_cast<int>(size * 0.45 * PANGO_SCALE));
        pango_layout_set_text(l.get(), s.c_str(), static_cast<int>(s.size()));
        return l;
    }
    static double height(const Layout& l) {
        int w = 0, h = 0;
        pango_layout_get_pixel_size(l.get(), &w, &h);
        return h;
    }
    static double width(const Layout& l) {
        int w = 0, h = 0;
        pango_layout_get_pixel_size(l.get(), &w, &h);
        return w;
    }

    void colour(Rgb c) { cairo_set_source_rgb(cr_, c.r, c.g, c.b); }

    // Draws a laid-out block line by line from the current position, starting new pages as
    // needed; `keep` more points must fit after the first line (a heading's body).
    void flow(const Layout& l, double x, Rgb c, double keep = 0) {
        PangoLayoutIter* it = pango_layout_get_iter(l.get());
        bool first = true;
        double consumed = 0;  // layout y at the top of this page's part
        do {
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it, nullptr, &logical);
            const double top = logical.y / double(PANGO_SCALE);
            const double bottom = (logical.y + logical.height) / double(PANGO_SCALE);
            const double baseline = pango_layout_iter_get_baseline(it) / double(PANGO_SCALE);
            // y_ is where layout height `consumed` falls on this page.
            const double on_page_top = y_ + (top - consumed);
            const double on_page_bottom = y_ + (bottom - consumed) + (first ? keep : 0);
            if (on_page_bottom > kBottom && on_page_top > kTop) {
                next_page();
                consumed = top;  // this line starts at the top of the new page
            }
            colour(c);
            cairo_move_to(cr_, x + logical.x / double(PANGO_SCALE), y_ + (baseline - consumed));
            pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(it));
            first = false;
            if (!pango_layout_iter_next_line(it)) {
                y_ += bottom - consumed;
                break;
            }
        } while (true);
        pango_layout_iter_free(it);
    }

    void gap(double h) { y_ += h; }
    void rule() {
        colour(kRule);
        cairo_set_line_width(cr_, 0.6);
        cairo_move_to(cr_, kMargin, y_);
        cairo_line_to(cr_, kMargin + kWidth, y_);
        cairo_stroke(cr_);
    }
    bool fits(double h) const { return y_ + h <= kBottom; }
    void next_page() {
        footer();
        cairo_show_page(cr_);
        ++page_;
        y_ = kTop;
    }
    void finish() { footer(); }

private:
    void footer() {
        auto left = text(p_.footer, 7.5, false, kWidth - 80);
        colour(kMuted);
        cairo_move_to(cr_, kMargin, kPageHeight - 52);
        pango_cairo_show_layout(cr_, left.get());
        std::string page = p_.page;
        if (auto at = page.find("{n}"); at != std::string::npos) page.replace(at, 3, std::to_string(page_));
        auto right = text(page, 7.5, false, 0);
        cairo_move_to(cr_, kMargin + kWidth - width(right), kPageHeight - 52);
        pango_cairo_show_layout(cr_, right.get());
    }

    cairo_t* cr_;
    const PolicyPdf& p_;
    PangoContext* ctx_ = nullptr;
    double y_ = kTop;
    int page_ = 1;
};

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

void lay_out(Pages& d, const PolicyPdf& p) {
    d.flow(d.text(p.title, 20, true, kWidth, Align::Centre), kMargin, kText);
    d.gap(20);
    d.flow(d.text(p.preamble, 11, false, kWidth), kMargin, kText);
    d.gap(14);
    for (const auto& s : p.sections) {
        auto body = d.text(s.body, 11, false, kWidth - 14);
        // The heading stays with at least two lines of its body.
        d.flow(d.text(s.heading, 12.5, true, kWidth), kMargin, kText, 40);
        d.gap(4);
        d.flow(body, kMargin + 14, kText);
        d.gap(12);
    }
    d.gap(12);
    std::string closing;
    for (const auto& line : p.closing) closing += (closing.empty() ? "" : "\n") + line;
    auto block = d.text(closing, 11, false, kWidth, Align::Right);
    if (!d.fits(Pages::height(block))) d.next_page();
    d.flow(block, kMargin, kText);
    if (!p.note.empty()) {
        d.gap(24);
        auto note = d.text(p.note, 8, false, kWidth);
        if (!d.fits(Pages::height(note) + 8)) d.next_page();
        d.rule();
        d.gap(6);
        d.flow(note, kMargin, kMuted);
    }
}

}  // namespace

Result<std::string> policy_pdf(const PolicyPdf& p) {
    std::lock_guard lock(document_mutex());
    std::string out;
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append, &out, kPageWidth, kPageHeight);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, p.title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "sengen");
    cairo_t* cr = cairo_create(surface);
    {
        Pages d(cr, p);
        lay_out(d, p);
        d.finish();
    }
    cairo_show_page(cr);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS)
        return fail(Error::unavailable("render.pdf", std::string("cairo: ") + cairo_status_to_string(status)));
    return out;
}

}  // namespace sengen::render
