// Public pages that need no data of their own.
#include "web/handlers.hpp"

namespace sengen::web::handlers {

Response home(Context& ctx) {
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text("home.page_title"));
    mustache::data principles{mustache::data::type::list};
    for (int i = 1; i <= 5; ++i) {
        mustache::data p{mustache::data::type::object};
        const auto id = "home.principles." + std::to_string(i);
        p.set("number", std::to_string(i));
        p.set("title", ctx.text(id + ".title"));
        p.set("body", ctx.text(id + ".body"));
        principles.push_back(p);
    }
    d.set("principles", principles);
    return ctx.page(200, "home", std::move(d));
}

}  // namespace sengen::web::handlers
