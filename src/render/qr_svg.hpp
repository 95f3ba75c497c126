// A QR code as a small SVG document (libqrencode), for the operator's TOTP set-up page, which
// shows it as an image so that the page needs no inline script or style.
#pragma once
#include <string>

#include "domain/error.hpp"

namespace sengen::render {

// The SVG text of `text` as a QR code (error correction M, a four-module quiet zone).
Result<std::string> qr_svg(const std::string& text);

// The same as a data: URI (base64), for an <img> the page's CSP allows (img-src data:).
Result<std::string> qr_svg_data_uri(const std::string& text);

}  // namespace sengen::render
