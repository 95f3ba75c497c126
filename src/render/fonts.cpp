#include "render/fonts.hpp"

#include <cairo-pdf.h>

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

TextPen::TextPen(cairo_t* cr, Lang lang) : cr_(cr) {
    ctx_ = pango_font_map_create_context(shared_font_map());
    pango_cairo_update_context(cr_, ctx_);
    pango_context_set_language(ctx_, pango_language_from_string(std::string(code(lang)).c_str()));
}

TextPen::~TextPen() { g_object_unref(ctx_); }

Layout TextPen::text(const std::string& s, double size, bool bold, double width, Align align,
                     double line_spacing) const {
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
    if (align != Align::Left)
        pango_layout_set_alignment(l.get(), align == Align::Centre ? PANGO_ALIGN_CENTER : PANGO_ALIGN_RIGHT);
    if (line_spacing > 0) pango_layout_set_spacing(l.get(), static_cast<int>(size * line_spacing * PANGO_SCALE));
    pango_layout_set_text(l.get(), s.c_str(), static_cast<int>(s.size()));
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
