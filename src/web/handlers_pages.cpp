// Public pages that need no data of their own.
#include "web/handlers.hpp"

namespace sengen::web::handlers {

Response home(Context& ctx) {
    // Without a cookie (no session, no flash message, no chosen language) and without a query, the
    // page depends on the language alone: it is rendered once per language and then kept.
    const bool anonymous = ctx.req.query.empty() && !ctx.req.header("cookie") && ctx.services.anonymous_pages;
    if (anonymous)
        if (auto body = ctx.services.anonymous_pages->find(ctx.lang))
            return make_response(200, "text/html; charset=utf-8", std::move(*body));
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
    auto page = ctx.page(200, "home", std::move(d));
    if (anonymous) ctx.services.anonymous_pages->keep(ctx.lang, page.body);
    return page;
}

}  // namespace sengen::web::handlers
