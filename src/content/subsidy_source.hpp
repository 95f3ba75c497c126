// The adapters of the subsidy catalogue's source: the file shipped in the binary, or a file on disk
// read afresh at every reload.
#pragma once
#include <string>

#include "domain/subsidy/source.hpp"

namespace sengen::content {

class EmbeddedCatalogueSource final : public subsidy::CatalogueSource {
public:
    std::string name() const override;
    Result<std::string> read() const override;
};

class FileCatalogueSource final : public subsidy::CatalogueSource {
public:
    explicit FileCatalogueSource(std::string path) : path_(std::move(path)) {}
    std::string name() const override { return path_; }
    Result<std::string> read() const override;

private:
    std::string path_;
};

}  // namespace sengen::content
