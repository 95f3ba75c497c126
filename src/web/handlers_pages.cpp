// Public pages that need no data of their own.
#include "web/handlers.hpp"

namespace sengen::web::handlers {

Response home(Context& ctx) {
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text("home.page_title"));
    // The principles as the content states them (content/principles.toml), the same words a
    // declarant commits to on the application form.
    mustache::data principles{mustache::data::type::list};
    for (const auto& principle : ctx.services.registry.content().principles) {
        mustache::data p{mustache::data::type::object};
        p.set("number", std::to_string(principle.number));
        p.set("title", principle.title.in(ctx.lang));
        p.set("body", principle.commitment.in(ctx.lang));
        principles.push_back(p);
    }
    d.set("principles", principles);
    return ctx.page(200, "home", std::move(d));
}

}  // namespace sengen::web::handlers
