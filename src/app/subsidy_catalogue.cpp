// The subsidy catalogue in force, swapped whole on reload.
#include "app/subsidy_catalogue.hpp"

namespace sengen::app {

Result<CatalogueSnapshot> load_catalogue(const subsidy::CatalogueSource& source,
                                         const content::CatalogueReferences& refs) {
    auto text = source.read();
    if (!text) return fail(text.error());
    auto catalogue = content::load_subsidy_catalogue(*text, source.name(), refs);
    if (!catalogue) return fail(catalogue.error());
    return std::make_shared<const subsidy::Catalogue>(std::move(*catalogue));
}

Result<std::unique_ptr<SubsidyCatalogue>> SubsidyCatalogue::open(const subsidy::CatalogueSource& source,
                                                                 content::CatalogueReferences refs) {
    auto first = load_catalogue(source, refs);
    if (!first) return fail(first.error());
    return std::unique_ptr<SubsidyCatalogue>(new SubsidyCatalogue(source, std::move(refs), std::move(*first)));
}

Result<CatalogueReload> SubsidyCatalogue::reload() {
    std::lock_guard lock(reloading_);
    auto next = load_catalogue(source_, refs_);
    if (!next) return fail(next.error());
    CatalogueReload r;
    r.after = *next;
    r.before = current_.exchange(std::move(*next), std::memory_order_acq_rel);
    return r;
}

}  // namespace sengen::app
