#include "render/fonts.hpp"

#include <cairo-pdf.h>

#include <array>
#include <unordered_map>

namespace sengen::render {

PangoFontMap* shared_font_map() {
    static PangoFontMap* map = pango_cairo_font_map_new();
    return map;
}

std::string document_font_in_use() {
    std::lock_guard lock(document_mutex());
    PangoFontDescription* fd = pango_font_description_from_string(kDocumentFont);
    PangoContext* ctx = pango_font_map_create_context(shared_font_map());
    PangoFont* font = pango_font_map_load_font(shared_font_map(), ctx, fd);
    std::string family;
    if (font) {
        PangoFontDescription* got = pango_font_describe(font);
        if (const char* f = pango_font_description_get_family(got)) family = f;
        pango_font_description_free(got);
        g_object_unref(font);
    }
    g_object_unref(ctx);
    pango_font_description_free(fd);
    return family;
}

std::mutex& document_mutex() {
    static std::mutex m;
    return m;
}

namespace {
cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}
}  // namespace

Result<std::string> render_pdf(const std::string& title, const std::function<void(cairo_t*)>& draw) {
    std::lock_guard lock(document_mutex());
    std::string out;
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append, &out, kPageWidth, kPageHeight);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "sengen");
    cairo_t* cr = cairo_create(surface);
    draw(cr);
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

// One pango context per language for the whole process, and the layouts made in it: most of a
// document's text (labels, questions, advice) is the same in every document of its language, and
// shaping it is most of pango's share of a PDF's time. Used only under document_mutex().
struct LangPen {
    PangoContext* ctx = nullptr;
    bool updated = false;
    std::unordered_map<std::string, Layout> layouts;
};

namespace {

// A report keeps about 300 layouts a language; a policy one per paragraph. The bound keeps the
// memory a few megabytes whatever the documents hold.
constexpr std::size_t kMaxKeptLayouts = 1024;

LangPen& lang_pen(Lang lang) {
    static std::array<LangPen, all_langs.size()> pens;
    auto& pen = pens.at(static_cast<std::size_t>(lang));
    if (!pen.ctx) {
        pen.ctx = pango_font_map_create_context(shared_font_map());
        pango_context_set_language(pen.ctx, pango_language_from_string(std::string(code(lang)).c_str()));
    }
    return pen;
}

}  // namespace

void forget_layouts() {
    std::lock_guard lock(document_mutex());
    for (Lang lang : all_langs) lang_pen(lang).layouts.clear();
}

TextPen::TextPen(cairo_t* cr, Lang lang) : cr_(cr), pen_(&lang_pen(lang)) {
    // Every document is drawn on a new PDF surface with the same options and an identity matrix,
    // so the context takes them from the first one. Updating it again for each document would
    // make pango lay every kept layout out anew.
    if (!pen_->updated) {
        pango_cairo_update_context(cr_, pen_->ctx);
        pen_->updated = true;
    }
}

Layout TextPen::text(const std::string& s, double size, bool bold, double width, Align align,
                     double line_spacing) const {
    std::string key;
    key.reserve(s.size() + 40);
    for (double v : {size, width, line_spacing}) key.append(reinterpret_cast<const char*>(&v), sizeof v);
    key += static_cast<char>(bold);
    key += static_cast<char>(align);
    key += s;
    auto& kept = pen_->layouts;
    if (auto it = kept.find(key); it != kept.end())
        return Layout(static_cast<PangoLayout*>(g_object_ref(it->second.get())));
    if (kept.size() >= kMaxKeptLayouts) kept.clear();
    Layout l(pango_layout_new(pen_->ctx));
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
    if (align != Align::Left)
        pango_layout_set_alignment(l.get(), align == Align::Centre ? PANGO_ALIGN_CENTER : PANGO_ALIGN_RIGHT);
    if (line_spacing > 0) pango_layout_set_spacing(l.get(), static_cast<int>(size * line_spacing * PANGO_SCALE));
    pango_layout_set_text(l.get(), s.c_str(), static_cast<int>(s.size()));
    kept.emplace(std::move(key), Layout(static_cast<PangoLayout*>(g_object_ref(l.get()))));
    return l;
}

double TextPen::height(const Layout& l) {
    int w = 0, h = 0;
    pango_layout_get_pixel_size(l.get(), &w, &h);
    return h;
}

double TextPen::width(const Layout& l) {
    int w = 0, h = 0;
    pango_layout_get_pixel_size(l.get(), &w, &h);
    return w;
}

void TextPen::draw(const Layout& l, double x, double y, Rgb c) const {
    colour(c);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l.get());
}

}  // namespace sengen::render
