// QR codes as SVG documents.
#include "render/qr_svg.hpp"

#include <qrencode.h>
#include <sodium.h>

#include <memory>

namespace sengen::render {

namespace {
struct QrFree {
    void operator()(QRcode* c) const { QRcode_free(c); }
};
constexpr int kQuiet = 4;
}  // namespace

Result<std::string> qr_svg(const std::string& text) {
    std::unique_ptr<QRcode, QrFree> code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!code) return fail(Error::invalid({{"qr", "format"}}, "qr.invalid"));
    const int w = code->width;
    const int size = w + 2 * kQuiet;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
                      std::to_string(size) + "\" shape-rendering=\"crispEdges\"><rect width=\"" + std::to_string(size) +
                      "\" height=\"" + std::to_string(size) + "\" fill=\"#fff\"/><path d=\"";
    for (int y = 0; y < w; ++y) {
        int x = 0;
        while (x < w) {
            if (!(code->data[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] &
                  1)) {
                ++x;
                continue;
            }
            int start = x;
            while (
                x < w &&
                (code->data[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] &
                 1))
                ++x;
            svg += "M" + std::to_string(start + kQuiet) + " " + std::to_string(y + kQuiet) + "h" +
                   std::to_string(x - start) + "v1h-" + std::to_string(x - start) + "z";
        }
    }
    svg += "\" fill=\"#000\"/></svg>";
    return svg;
}

Result<std::string> qr_svg_data_uri(const std::string& text) {
    auto svg = qr_svg(text);
    if (!svg) return svg;
    std::string out(sodium_base64_ENCODED_LEN(svg->size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(svg->data()), svg->size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return "data:image/svg+xml;base64," + out;
}

}  // namespace sengen::render
