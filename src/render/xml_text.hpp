// Text placed inside XML (the SVG of badges and charts): the five characters that could end a text
// node or an attribute value are written as entities.
#pragma once

#include <string>
#include <string_view>

namespace sengen::render {

inline void append_xml_escaped(std::string& out, std::string_view text) {
    for (char ch : text) {
        switch (ch) {
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
            case '\'':
                out += "&#39;";
                break;
            default:
                out += ch;
        }
    }
}

inline std::string xml_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_xml_escaped(out, text);
    return out;
}

}  // namespace sengen::render
