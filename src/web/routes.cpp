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

        // The ★★ self-assessment: answers travel in the forms, nothing is stored.
        {M::Get, "/assessment", handlers::assessment_start},
        {M::Get, "/assessment/part/{n}", handlers::assessment_part},
        {M::Post, "/assessment/part/{n}", handlers::assessment_part_post},
        {M::Get, "/assessment/result", handlers::assessment_result_get},
        {M::Post, "/assessment/result", handlers::assessment_result},
        {M::Post, "/assessment/report.pdf", handlers::assessment_pdf},
        {M::Post, "/assessment/answers.csv", handlers::assessment_csv},

        // API (JSON; no cookies, so no CSRF token)
        {M::Get, "/api/v1/assessment", handlers::api_assessment},
        {M::Post, "/api/v1/assessments/score", handlers::api_assessment_score},

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
