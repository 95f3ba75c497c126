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

constexpr double kMargin = 64.0;
constexpr double kTop = 64.0;
constexpr double kBottom = kPageHeight - 72.0;  // the footer lives below this line
constexpr double kWidth = kPageWidth - 2 * kMargin;

constexpr Rgb kRule{0.58, 0.58, 0.58};

class Pages : public TextPen {
public:
    Pages(cairo_t* cr, const PolicyPdf& p) : TextPen(cr, p.lang), p_(p) {}

    // Line spacing that reads comfortably in Japanese.
    Layout text(const std::string& s, double size, bool bold, double width, Align align = Align::Left) const {
        return TextPen::text(s, size, bold, width, align, 0.45);
    }

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

    const PolicyPdf& p_;
    double y_ = kTop;
    int page_ = 1;
};

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
    return render_pdf(p.title, [&](cairo_t* cr) {
        Pages d(cr, p);
        lay_out(d, p);
        d.finish();
    });
}

}  // namespace sengen::render
