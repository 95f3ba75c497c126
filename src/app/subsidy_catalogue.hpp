// The subsidy catalogue in force on this node: an immutable snapshot that readers take without
// waiting, replaced whole by `reload` (SIGHUP, and the console's button once it exists). A file
// that does not load is refused and the snapshot in force stays. Each node reloads its own.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>

#include "content/subsidy_catalogue.hpp"
#include "domain/subsidy/catalogue.hpp"
#include "domain/subsidy/source.hpp"

namespace sengen::app {

using CatalogueSnapshot = std::shared_ptr<const subsidy::Catalogue>;

// What a reload did: the snapshot before and the one now in force (the reminders compare the two
// to find rounds that have opened).
struct CatalogueReload {
    CatalogueSnapshot before, after;
};

class SubsidyCatalogue {
public:
    // Reads and checks the source once; fails with every problem when it does not load.
    static Result<std::unique_ptr<SubsidyCatalogue>> open(const subsidy::CatalogueSource& source,
                                                          content::CatalogueReferences refs);

    // The snapshot in force. Keep it for as long as one request needs a consistent view; a reload
    // meanwhile does not change it.
    CatalogueSnapshot current() const { return current_.load(std::memory_order_acquire); }

    // Reads the source again and puts it in force if it loads; otherwise the error names every
    // problem ("file:line: what") and the old snapshot stays. Reloads run one at a time.
    Result<CatalogueReload> reload();

private:
    SubsidyCatalogue(const subsidy::CatalogueSource& source, content::CatalogueReferences refs, CatalogueSnapshot first)
        : source_(source), refs_(std::move(refs)), current_(std::move(first)) {}

    const subsidy::CatalogueSource& source_;
    const content::CatalogueReferences refs_;
    std::atomic<CatalogueSnapshot> current_;
    std::mutex reloading_;
};

// Reads and checks a catalogue's text from `source`: what `open`, `reload` and `sengen catalogue
// check` share.
Result<CatalogueSnapshot> load_catalogue(const subsidy::CatalogueSource& source,
                                         const content::CatalogueReferences& refs);

}  // namespace sengen::app
