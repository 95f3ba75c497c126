// The message catalogue built from the .po files embedded in the binary (src/web/i18n/).
// Shared by the composition root and the benchmarks, which must render exactly what is served.
#pragma once
#include "domain/error.hpp"
#include "i18n/catalogue.hpp"

namespace sengen::web {

// Parses every language's embedded .po file and builds the catalogue; errors name the file.
Result<i18n::Catalogue> load_embedded_catalogue();

}  // namespace sengen::web
