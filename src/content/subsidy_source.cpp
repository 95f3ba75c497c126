// Reads the subsidy catalogue's text from the binary or from disk.
#include "content/subsidy_source.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "content/subsidy_catalogue.hpp"
#include "embedded/embedded.hpp"

namespace sengen::content {

namespace {
Error unreadable(const std::string& name, const std::string& why) {
    Error e = Error::unavailable("content.unreadable");
    e.detail = name + ": cannot read the subsidy catalogue (" + why + ")\n";
    return e;
}
}  // namespace

std::string EmbeddedCatalogueSource::name() const { return std::string(kShippedSubsidyCatalogue); }

Result<std::string> EmbeddedCatalogueSource::read() const {
    auto bytes = embedded::find(kShippedSubsidyCatalogue);
    if (!bytes) return fail(unreadable(name(), "not embedded in this binary"));
    return std::string(*bytes);
}

Result<std::string> FileCatalogueSource::read() const {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return fail(unreadable(path_, std::strerror(errno)));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return fail(unreadable(path_, "read error"));
    return text;
}

}  // namespace sengen::content
