// C2SP checkpoints (see checkpoint.hpp).
#include "tlog/checkpoint.hpp"

#include <charconv>
#include <cstring>

#include "tlog/encoding.hpp"

namespace sengen::tlog {
namespace {

Error bad(std::string detail) { return Error{Error::Kind::Invalid, "tlog.bad_checkpoint", std::move(detail), {}}; }

}  // namespace

std::string checkpoint_text(const Checkpoint& checkpoint) {
    std::string out = checkpoint.origin;
    out += '\n';
    out += std::to_string(checkpoint.size);
    out += '\n';
    out += base64(checkpoint.root);
    out += '\n';
    for (const std::string& line : checkpoint.extensions) {
        out += line;
        out += '\n';
    }
    return out;
}

Result<Checkpoint> parse_checkpoint(std::string_view text) {
    if (!text.ends_with('\n')) return fail(bad("a checkpoint ends in a newline"));
    std::vector<std::string_view> lines;
    for (std::string_view rest = text; !rest.empty();) {
        const auto eol = rest.find('\n');
        lines.push_back(rest.substr(0, eol));
        rest.remove_prefix(eol + 1);
    }
    if (lines.size() < 3) return fail(bad("a checkpoint has an origin, a size and a root hash"));
    Checkpoint c;
    if (lines[0].empty()) return fail(bad("the origin is empty"));
    c.origin = std::string(lines[0]);
    const std::string_view size = lines[1];
    if (size.empty() || (size.size() > 1 && size[0] == '0')) return fail(bad("the size is not a decimal number"));
    const auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), c.size);
    if (ec != std::errc{} || end != size.data() + size.size() || c.size < 0)
        return fail(bad("the size is not a decimal number"));
    const auto root = unbase64(lines[2]);
    if (!root || root->size() != c.root.size()) return fail(bad("the root hash is not 32 bytes in base64"));
    std::memcpy(c.root.data(), root->data(), c.root.size());
    for (std::size_t i = 3; i < lines.size(); ++i) {
        if (lines[i].empty()) return fail(bad("an extension line is empty"));
        c.extensions.emplace_back(lines[i]);
    }
    return c;
}

}  // namespace sengen::tlog
