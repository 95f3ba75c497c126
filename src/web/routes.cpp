// Every route of the server, in one table.
#include "web/app.hpp"
#include "web/handlers.hpp"
#include "web/static_assets.hpp"

namespace sengen::web {

std::vector<Route> route_table(const StaticAssets& assets) {
    using M = Method;
    return {
        // Pages
        {M::Get, "/", handlers::home},

        // Applying
        {M::Get, "/apply", handlers::apply_terms},
        {M::Post, "/apply", handlers::apply_terms},
        {M::Get, "/apply/business", handlers::apply_business},
        {M::Post, "/apply/business", handlers::apply_business},
        {M::Get, "/apply/declaration", handlers::apply_declaration},
        {M::Post, "/apply/declaration", handlers::apply_declaration},
        {M::Get, "/apply/check", handlers::apply_check},
        {M::Post, "/apply/check", handlers::apply_check},
        {M::Get, "/apply/sent", handlers::apply_sent},

        // Public verification and search (noindex), and the JSON API (no cookies, no CSRF token)
        {M::Get, "/verify", handlers::verify_form},
        {M::Get, "/verify/search", handlers::verify_search},
        {M::Get, "/verify/{id}", handlers::verify_declaration},
        {M::Get, "/api/v1/declarations/{id}", handlers::api_declaration},
        {M::Post, "/api/v1/applications", handlers::api_apply},
        {M::Post, "/api/v1/applications/confirm", handlers::api_confirm},
        {M::Get, "/api/v1/openapi.json", handlers::api_openapi},

        // Operations
        {M::Get, "/healthz", handlers::healthz},
        {M::Get, "/readyz", handlers::readyz},
        {M::Get, "/metrics", handlers::metrics},

        // Assets
        {M::Get, "/static/{file...}", [&assets](Context& ctx) { return assets.serve(ctx.req, ctx.param("file")); }},
        {M::Get, "/favicon.ico", [&assets](Context& ctx) { return assets.serve(ctx.req, "favicon.ico"); }},
        {M::Get, "/robots.txt", [&assets](Context& ctx) { return assets.serve(ctx.req, "robots.txt"); }},
    };
}

}  // namespace sengen::web
