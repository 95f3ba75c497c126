#include "render/fonts.hpp"

namespace sengen::render {

PangoFontMap* shared_font_map() {
    static PangoFontMap* map = pango_cairo_font_map_new();
    return map;
}

std::mutex& document_mutex() {
    static std::mutex m;
    return m;
}

}  // namespace sengen::render
