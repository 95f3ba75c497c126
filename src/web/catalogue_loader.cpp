// Reads the embedded .po files, one per language, into one checked catalogue.
#include "web/catalogue_loader.hpp"

#include <map>
#include <string>

#include "embedded/embedded.hpp"

namespace sengen::web {

Result<i18n::Catalogue> load_embedded_catalogue() {
    std::map<i18n::Lang, i18n::Messages> by_lang;
    for (auto l : i18n::all_langs) {
        const std::string path = "src/web/i18n/" + std::string(i18n::code(l)) + ".po";
        auto text = embedded::find(path);
        if (!text) return fail(Error::unavailable("i18n.missing", path));
        auto msgs = i18n::parse_po(*text, path);
        if (!msgs) return fail(msgs.error());
        by_lang[l] = std::move(*msgs);
    }
    return i18n::Catalogue::build(std::move(by_lang));
}

}  // namespace sengen::web
