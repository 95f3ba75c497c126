// The self-assessment report. Every block is laid out and measured before it is placed, and a
// block that does not fit on the page starts a new one (pango_layout_get_pixel_size). Text is drawn by
// pango, so the PDF embeds font subsets with ToUnicode maps and its text can be selected.
#include "render/assessment_report.hpp"

#include <algorithm>
#include <memory>
#include <mutex>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "render/csv.hpp"
#include "render/fonts.hpp"

namespace sengen::render {

namespace {

constexpr double kMargin = 48.0;
constexpr double kTop = 54.0;
constexpr double kBottom = kPageHeight - 60.0;  // the footer lives below this line
constexpr double kWidth = kPageWidth - 2 * kMargin;
constexpr Rgb kKey{0.0, 0.090, 0.757};  // #0017c1, the site's key colour
constexpr Rgb kTrack{0.91, 0.945, 0.996};
constexpr Rgb kLine{0.58, 0.58, 0.58};
constexpr Rgb kSoft{0.95, 0.95, 0.95};

// Answer colours, as in site.css.
Rgb answer_colour(const std::string& id) {
    if (id == "done") return {0.098, 0.478, 0.294};  // #197a4b
    if (id == "partly") return {0.604, 0.416, 0.0};  // #9a6a00
    if (id == "not_done") return {0.808, 0.0, 0.0};  // #ce0000
    return {0.463, 0.463, 0.463};                    // #767676
}
Rgb band_colour(const std::string& id) {
    if (id == "complete") return {0.098, 0.478, 0.294};
    if (id == "gaps") return {0.0, 0.090, 0.757};
    if (id == "inadequate") return {0.604, 0.416, 0.0};
    return {0.808, 0.0, 0.0};
}

std::string replace_n(std::string text, int n) {
    auto at = text.find("{n}");
    if (at != std::string::npos) text.replace(at, 3, std::to_string(n));
    return text;
}

// Pages are laid out under the shared document lock (render/fonts.hpp), with the process's one
// font map, so that the fonts loaded by warm_up() serve every thread.
class Document : public TextPen {
public:
    Document(cairo_t* cr, const AssessmentReport& r) : TextPen(cr, r.lang), report_(r) {}

    // A laid-out text `width` points wide (0: no wrapping).
    Layout text(const std::string& s, double size, bool bold = false, double width = kWidth) const {
        return TextPen::text(s, size, bold, width);
    }
    void draw(const Layout& l, double x, double y, Rgb c = kText) const { TextPen::draw(l, x, y, c); }
    void rect(double x, double y, double w, double h, Rgb c) {
        colour(c);
        cairo_rectangle(cr_, x, y, w, h);
        cairo_fill(cr_);
    }
    void hline(double x, double y, double w, Rgb c, double thickness = 0.5) {
        colour(c);
        cairo_set_line_width(cr_, thickness);
        cairo_move_to(cr_, x, y);
        cairo_line_to(cr_, x + w, y);
        cairo_stroke(cr_);
    }

    // Starts a new page unless `h` more points fit on this one. True when it did.
    bool need(double h) {
        if (y_ + h <= kBottom || y_ == kTop) return false;
        next_page();
        return true;
    }
    void next_page() {
        footer();
        cairo_show_page(cr_);
        ++page_;
        y_ = kTop;
    }
    void finish() { footer(); }

    double& y() { return y_; }

    // A heading kept together with at least `keep` points of what follows it.
    void heading(const std::string& s, double keep) {
        auto l = text(s, 13, true);
        double h = height(l);
        need(h + 6 + keep);
        y_ += (y_ == kTop ? 0 : 10);
        draw(l, kMargin, y_, kKey);
        y_ += h + 2;
        hline(kMargin, y_, kWidth, kKey, 1.0);
        y_ += 6;
    }

    void paragraph(const std::string& s, double size, Rgb c = kText, double indent = 0, double after = 4) {
        auto l = text(s, size, false, kWidth - indent);
        double h = height(l);
        need(h);
        draw(l, kMargin + indent, y_, c);
        y_ += h + after;
    }

private:
    void footer() {
        const auto& lb = report_.labels;
        auto left = text(lb.footer, 7.5, false, kWidth - 80);
        draw(left, kMargin, kPageHeight - 44, kMuted);
        auto right = text(replace_n(lb.page, page_), 7.5, false, 0);
        draw(right, kMargin + kWidth - width(right), kPageHeight - 44, kMuted);
    }

    const AssessmentReport& report_;
    double y_ = kTop;
    int page_ = 1;
};

void title_block(Document& d, const AssessmentReport& r) {
    const auto& lb = r.labels;
    auto t = d.text(lb.title, 18, true);
    d.draw(t, kMargin, d.y());
    d.y() += Document::height(t) + 8;
    std::vector<std::pair<std::string, std::string>> meta;
    if (!r.business_name.empty()) meta.emplace_back(lb.business, r.business_name);
    meta.emplace_back(lb.date, r.date);
    meta.emplace_back(lb.edition, r.edition_title + " (" + r.edition_id + ")");
    for (const auto& [k, v] : meta) {
        auto kl = d.text(k, 9.5, true, 110);
        auto vl = d.text(v, 9.5, false, kWidth - 120);
        double h = std::max(Document::height(kl), Document::height(vl));
        d.draw(kl, kMargin, d.y(), kMuted);
        d.draw(vl, kMargin + 120, d.y());
        d.y() += h + 2;
    }
    d.y() += 8;
}

void score_block(Document& d, const AssessmentReport& r) {
    const auto& lb = r.labels;
    const double pad = 12;
    const double inner = kWidth - 2 * pad - 6;
    auto label = d.text(lb.score, 10, true, inner);
    auto value = d.text(r.labels.score_value, 26, true, inner);
    auto band = d.text(r.band_title, 13, true, inner);
    auto meaning = d.text(r.band_meaning, 10, false, inner);
    auto next = d.text(lb.next_step, 10, false, inner);
    double h = pad + Document::height(label) + Document::height(value) + 4 + Document::height(band) + 4 +
               Document::height(meaning) + 4 + Document::height(next) + pad;
    d.need(h);
    const double top = d.y();
    d.rect(kMargin, top, kWidth, h, kSoft);
    d.rect(kMargin, top, 6, h, band_colour(r.band_id));
    double x = kMargin + 6 + pad, y = top + pad;
    d.draw(label, x, y, kMuted);
    y += Document::height(label);
    d.draw(value, x, y);
    y += Document::height(value) + 4;
    d.draw(band, x, y, band_colour(r.band_id));
    y += Document::height(band) + 4;
    d.draw(meaning, x, y);
    y += Document::height(meaning) + 4;
    d.draw(next, x, y);
    d.y() = top + h + 6;
}

void parts_chart(Document& d, const AssessmentReport& r) {
    const auto& lb = r.labels;
    const double label_w = 180, value_w = 60, track_w = kWidth - label_w - value_w - 10, bar_h = 14;
    double rows = 0;
    std::vector<Layout> labels;
    for (const auto& p : r.parts) {
        labels.push_back(d.text(p.label, 9, false, label_w - 6));
        rows += std::max(Document::height(labels.back()), bar_h) + 8;
    }
    d.heading(lb.chart_parts, rows);
    for (std::size_t i = 0; i < r.parts.size(); ++i) {
        const auto& p = r.parts[i];
        double h = std::max(Document::height(labels[i]), bar_h);
        d.draw(labels[i], kMargin, d.y());
        const double tx = kMargin + label_w;
        d.rect(tx, d.y() + 1, track_w, bar_h, kTrack);
        double frac = p.max > 0 ? std::clamp(static_cast<double>(p.score) / p.max, 0.0, 1.0) : 0.0;
        if (frac > 0) d.rect(tx, d.y() + 1, track_w * frac, bar_h, kKey);
        auto v = d.text(std::to_string(p.score) + " / " + std::to_string(p.max), 9, true, 0);
        d.draw(v, tx + track_w + 8, d.y());
        d.y() += h + 8;
    }
}

void questions_chart(Document& d, const AssessmentReport& r) {
    const auto& lb = r.labels;
    const double unit = 13;  // points per answer point
    const double up = 4 * unit, down = 1 * unit;
    const double label_h = 12, legend_h = 16;
    const double chart_h = up + down + label_h + 6 + legend_h;
    d.heading(lb.chart_questions, chart_h);
    const double n = static_cast<double>(std::max<std::size_t>(r.answers.size(), 1));
    const double slot = kWidth / n, bar_w = slot * 0.62;
    const double axis = d.y() + up;
    for (std::size_t i = 0; i < r.answers.size(); ++i) {
        const auto& a = r.answers[i];
        const double x = kMargin + slot * static_cast<double>(i) + (slot - bar_w) / 2;
        if (a.points > 0)
            d.rect(x, axis - a.points * unit, bar_w, a.points * unit, answer_colour(a.answer_id));
        else if (a.points < 0)
            d.rect(x, axis, bar_w, -a.points * unit, answer_colour(a.answer_id));
        else
            d.rect(x, axis - 1.5, bar_w, 3, answer_colour(a.answer_id));  // a visible mark for 0
        auto num = d.text(std::to_string(a.number), 7, false, 0);
        d.draw(num, kMargin + slot * static_cast<double>(i) + (slot - Document::width(num)) / 2, axis + down + 2,
               kMuted);
    }
    d.hline(kMargin, axis, kWidth, kLine, 0.8);
    d.y() = axis + down + label_h + 6;
    // Legend: one swatch and label per answer seen in the edition's order.
    double x = kMargin;
    std::vector<std::string> seen;
    for (const auto& id : {"done", "partly", "not_done", "unknown"}) {
        auto it = std::find_if(r.answers.begin(), r.answers.end(), [&](const auto& a) { return a.answer_id == id; });
        if (it == r.answers.end()) continue;
        auto l = d.text(it->answer + " (" + std::to_string(it->points) + ")", 8, false, 0);
        d.rect(x, d.y() + 3, 9, 9, answer_colour(id));
        d.draw(l, x + 13, d.y());
        x += 13 + Document::width(l) + 16;
    }
    d.y() += legend_h;
}

void review_block(Document& d, const AssessmentReport& r) {
    const auto& lb = r.labels;
    d.heading(lb.review, 16);
    if (r.review_items.empty()) {
        d.paragraph(lb.review_none, 9.5);
        return;
    }
    for (const auto& item : r.review_items) d.paragraph(item, 9.5, kText, 8, 2);
}

void answers_table(Document& d, const AssessmentReport& r) {
    const auto& lb = r.labels;
    const double c_num = 26, c_answer = 92, c_points = 34;
    const double c_question = kWidth - c_num - c_answer - c_points;
    auto header = [&] {
        auto h1 = d.text(lb.col_number, 8, true, c_num - 4);
        auto h2 = d.text(lb.col_question, 8, true, c_question - 8);
        auto h3 = d.text(lb.col_answer, 8, true, c_answer - 6);
        auto h4 = d.text(lb.col_points, 8, true, c_points - 2);
        double h = std::max({Document::height(h1), Document::height(h2), Document::height(h3)});
        d.draw(h1, kMargin, d.y(), kMuted);
        d.draw(h2, kMargin + c_num, d.y(), kMuted);
        d.draw(h3, kMargin + c_num + c_question, d.y(), kMuted);
        d.draw(h4, kMargin + kWidth - Document::width(h4), d.y(), kMuted);
        d.y() += h + 2;
        d.hline(kMargin, d.y(), kWidth, kLine, 0.8);
        d.y() += 3;
    };
    d.heading(lb.answers, 40);
    header();
    for (const auto& a : r.answers) {
        auto num = d.text(std::to_string(a.number), 9, true, c_num - 4);
        auto q = d.text(a.question, 9, false, c_question - 8);
        auto ans = d.text(a.answer, 9, false, c_answer - 6);
        auto pts = d.text(std::to_string(a.points), 9, true, 0);
        double h = std::max({Document::height(num), Document::height(q), Document::height(ans)}) + 4;
        if (d.need(h)) header();
        d.draw(num, kMargin, d.y());
        d.draw(q, kMargin + c_num, d.y());
        d.draw(ans, kMargin + c_num + c_question, d.y(), answer_colour(a.answer_id));
        d.draw(pts, kMargin + kWidth - Document::width(pts) - 4, d.y());
        d.y() += h;
        d.hline(kMargin, d.y() - 2, kWidth, kSoft, 0.6);
    }
}

void actions_block(Document& d, const AssessmentReport& r) {
    const auto& lb = r.labels;
    struct Block {
        Layout head, status;
        std::vector<Layout> steps;
        double height = 0;
    };
    std::vector<Block> blocks;
    for (const auto& a : r.actions) {
        Block b{d.text(a.heading, 10.5, true), d.text(a.status, 8.5, false), {}, 0};
        b.height = Document::height(b.head) + Document::height(b.status) + 2;
        for (const auto& s : a.steps) {
            b.steps.push_back(d.text(s, 9, false, kWidth - 26));
            b.height += Document::height(b.steps.back()) + 2;
        }
        blocks.push_back(std::move(b));
    }
    // The heading stays with the first action.
    d.heading(lb.actions, blocks.empty() ? 16 : blocks.front().height);
    if (r.actions.empty()) {
        d.paragraph(lb.actions_none, 9.5);
        return;
    }
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const auto& b = blocks[i];
        d.need(b.height + 8);  // each action stays on one page
        d.draw(b.head, kMargin, d.y());
        d.y() += Document::height(b.head);
        d.draw(b.status, kMargin + 16, d.y(), answer_colour(r.actions[i].answer_id));
        d.y() += Document::height(b.status) + 2;
        for (const auto& s : b.steps) {
            d.rect(kMargin + 18, d.y() + 6, 3, 3, kKey);
            d.draw(s, kMargin + 26, d.y());
            d.y() += Document::height(s) + 2;
        }
        d.y() += 8;
    }
}

}  // namespace

Result<std::string> assessment_pdf(const AssessmentReport& r) {
    return render_pdf(r.labels.title, [&](cairo_t* cr) {
        Document d(cr, r);
        title_block(d, r);
        score_block(d, r);
        parts_chart(d, r);
        questions_chart(d, r);
        review_block(d, r);
        answers_table(d, r);
        actions_block(d, r);
        d.finish();
    });
}

void warm_up() {
    AssessmentReport r;
    r.lang = Lang::Ja;
    r.labels.title = "自社診断 warm-up";
    r.labels.page = "{n}";
    r.answers.push_back({1, 1, "更新", "パソコンのOSを最新にしていますか？", "done", "実施している", 4});
    (void)assessment_pdf(r);
}

std::string assessment_csv(const AssessmentReport& r) {
    auto field = [](const std::string& s) { return csv_cell(s); };
    const auto& lb = r.labels;
    std::string out = "\xEF\xBB\xBF";
    out += field(lb.col_number) + "," + field(lb.col_part) + "," + field(lb.col_question) + "," + field(lb.col_answer) +
           "," + field(lb.col_points) + "," + field(lb.col_edition) + "\r\n";
    for (const auto& a : r.answers) {
        out += std::to_string(a.number) + "," + std::to_string(a.part) + "," + field(a.question) + "," +
               field(a.answer) + "," + std::to_string(a.points) + "," + field(r.edition_id) + "\r\n";
    }
    return out;
}

}  // namespace sengen::render
