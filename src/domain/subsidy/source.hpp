// The port through which the subsidy catalogue's text is read, at start and on every reload: the
// shipped file embedded in the binary, or the operator's own file on disk.
#pragma once
#include <string>

#include "domain/error.hpp"

namespace sengen::subsidy {

class CatalogueSource {
public:
    virtual ~CatalogueSource() = default;
    // The name problems and logs give the text: the path of the file, or the embedded path.
    virtual std::string name() const = 0;
    // The text as it is now; Unavailable when it cannot be read.
    virtual Result<std::string> read() const = 0;
};

}  // namespace sengen::subsidy
