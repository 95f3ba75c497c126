// multipart/form-data (RFC 7578) bodies, as a browser posts a form with a file: a small parser
// with fixed bounds (parts, header bytes, boundary length), which reads the body already held in
// memory (limited by max-body-bytes) and returns views into it.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sengen::web {

struct FormPart {
    std::string name;                     // the form field's name
    std::optional<std::string> filename;  // present for a file input (possibly empty: no file chosen)
    std::string content_type;             // as sent, "" when none
    std::string_view data;                // the part's bytes, a view into the body
};

struct MultipartLimits {
    std::size_t max_parts = 16;
    std::size_t max_header_bytes = 4096;  // of one part's header block
};

// The boundary of a `multipart/form-data; boundary=...` Content-Type (quoted or not, 1 to 70
// characters, RFC 2046 §5.1.1); nullopt for another type or a missing or malformed boundary.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// The parts of `body`, in order; nullopt when the body is not well-formed: no opening or closing
// delimiter, a part without a Content-Disposition of form-data with a name, a header block too
// large, or more parts than allowed.
std::optional<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                                     const MultipartLimits& limits = {});

}  // namespace sengen::web
