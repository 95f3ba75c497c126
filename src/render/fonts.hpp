// The font handling every PDF shares: one pango font map for the process (so that the fonts the
// first document loads serve every thread), and one lock under which documents are laid out one
// at a time (pango and fontconfig are not thread-safe, and it bounds the CPU PDF requests take).
#pragma once
#include <mutex>

#include <pango/pangocairo.h>

namespace sengen::render {

inline constexpr const char* kDocumentFont = "Noto Sans CJK JP";

PangoFontMap* shared_font_map();
std::mutex& document_mutex();

}  // namespace sengen::render
