// Text placed inside XML or HTML (the SVG of badges and charts, the HTML pages' values): the five
// characters that could end a text node or an attribute value are written as entities.
#pragma once

#include <string>
#include <string_view>

namespace sengen::render {

inline constexpr std::string_view kMarkupSpecial = "&<>\"'";

// `apostrophe` is how ' is written: "&#39;" in the SVGs; the HTML pages write "&apos;", as their
// template engine always has (web::escape_html). Runs without a special character are copied whole.
inline void append_xml_escaped(std::string& out, std::string_view text, std::string_view apostrophe = "&#39;") {
    std::size_t from = 0;
    for (auto next = text.find_first_of(kMarkupSpecial); next != std::string_view::npos;
         next = text.find_first_of(kMarkupSpecial, from)) {
        out.append(text, from, next - from);
        switch (text[next]) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += apostrophe;
                break;
        }
        from = next + 1;
    }
    out.append(text, from, std::string_view::npos);
}

inline std::string xml_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_xml_escaped(out, text);
    return out;
}

}  // namespace sengen::render
