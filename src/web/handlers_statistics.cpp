// The public statistics: /statistics (a page of counts with server-drawn SVG bar charts and the
// same numbers as tables), /statistics/{table}.csv and GET /api/v1/statistics. Counts only: no
// name, address or ID ever reaches these answers. The figures come from app::StatisticsCache, so
// a request never makes the database count.
#include <algorithm>
#include <sstream>

#include "domain/dates.hpp"
#include "render/csv.hpp"
#include "render/xml_text.hpp"
#include "web/errors.hpp"
#include "web/handlers.hpp"
#include "web/json_text.hpp"

namespace sengen::web::handlers {

namespace {

using Json = nlohmann::ordered_json;

struct Row {
    std::string code;   // what the CSV and the API carry: 1, "13", "G", "2026-04"
    std::string label;  // what a person reads, in the page's language
    std::int64_t count = 0;
};

struct Table {
    const char* key;  // "level", "prefecture", "industry", "month"
    std::vector<Row> rows;
};

std::vector<Table> tables_of(Context& ctx, const app::Statistics& s) {
    const auto& content = ctx.services.registry.content();
    std::vector<Table> out{{"level", {}}, {"prefecture", {}}, {"industry", {}}, {"month", {}}};
    for (const auto& [level, n] : s.by_level) {
        const bool known = level >= 1 && level <= content.max_level();
        out[0].rows.push_back(
            {std::to_string(level),
             known ? content.level(level).stars + " " + content.level(level).name.in(ctx.lang) : std::to_string(level),
             n});
    }
    // Prefectures in JIS order (the order of the form's list), every one of them, zeros included.
    for (const auto& p : content.prefectures) {
        auto it = std::find_if(s.by_prefecture.begin(), s.by_prefecture.end(),
                               [&](const auto& e) { return e.first == p.code; });
        out[1].rows.push_back({p.code, p.label.in(ctx.lang), it == s.by_prefecture.end() ? 0 : it->second});
    }
    for (const auto& i : content.industries) {
        auto it =
            std::find_if(s.by_industry.begin(), s.by_industry.end(), [&](const auto& e) { return e.first == i.code; });
        out[2].rows.push_back({i.code, i.label.in(ctx.lang), it == s.by_industry.end() ? 0 : it->second});
    }
    // A month is shown as every date is ("2026年4月", "April 2026"); the CSV keeps its code, 2026-04.
    for (const auto& [month, n] : s.issued_by_month) {
        const auto first_day = dates::parse_iso_date(month + "-01");
        out[3].rows.push_back({month, first_day ? dates::display_month(ctx.lang, *first_day) : month, n});
    }
    return out;
}

// A horizontal bar chart: one bar per row, its label on the left and its count at the end. Drawn
// with presentation attributes only (no style attribute, no script), so the page's CSP holds.
// role="img" with <title> and <desc> names it for screen readers, which then read the table
// below instead of the drawing.
std::string bar_chart(const std::string& id, const std::string& title, const std::string& desc,
                      const std::vector<Row>& rows) {
    constexpr int kWidth = 640, kLabel = 170, kRow = 22, kBar = 16, kCountSpace = 70;
    const int height = static_cast<int>(rows.size()) * kRow + 8;
    std::int64_t max = 1;
    for (const auto& r : rows) max = std::max(max, r.count);
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 " << kWidth << ' '
        << height << "\" aria-labelledby=\"" << id << "-title " << id << "-desc\"><title id=\"" << id << "-title\">"
        << render::xml_escaped(title) << "</title><desc id=\"" << id << "-desc\">" << render::xml_escaped(desc)
        << "</desc>";
    int y = 4;
    for (const auto& r : rows) {
        const auto bar = static_cast<int>((kWidth - kLabel - kCountSpace) * r.count / max);
        svg << "<text x=\"" << kLabel - 8 << "\" y=\"" << y + 13 << "\" text-anchor=\"end\" font-size=\"12\" "
            << "fill=\"#1f2933\">" << render::xml_escaped(r.label) << "</text>";
        if (bar > 0)
            svg << "<rect x=\"" << kLabel << "\" y=\"" << y << "\" width=\"" << bar << "\" height=\"" << kBar
                << "\" fill=\"#1d5fa8\"/>";
        svg << "<text x=\"" << kLabel + bar + 6 << "\" y=\"" << y + 13 << "\" font-size=\"12\" fill=\"#1f2933\">"
            << r.count << "</text>";
        y += kRow;
    }
    svg << "</svg>";
    return svg.str();
}

Result<std::shared_ptr<const app::Statistics>> figures(Context& ctx) {
    if (!ctx.services.statistics) return fail(Error::not_found("statistics.off"));
    return ctx.services.statistics->get();
}

}  // namespace

Response statistics_page(Context& ctx) {
    auto s = figures(ctx);
    if (!s) return error_response(ctx, s.error());
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text("statistics.title"));
    d.set("in_force", std::to_string((*s)->in_force));
    d.set("computed_at", dates::rfc3339_utc((*s)->computed_at));
    d.set("computed_at_view", dates::display_japan_date(ctx.lang, (*s)->computed_at));
    mustache::data sections{mustache::data::type::list};
    for (const auto& t : tables_of(ctx, **s)) {
        const std::string key = t.key;
        mustache::data sec{mustache::data::type::object};
        const auto& title = ctx.text("statistics." + key + ".title");
        sec.set("key", key);
        sec.set("title", title);
        sec.set("column", ctx.text("statistics.column." + key));
        if (key == "month") sec.set("note", ctx.text("statistics.month.note"));
        sec.set("svg", bar_chart("chart-" + key, title, ctx.text("statistics.chart_desc"), t.rows));
        mustache::data rows{mustache::data::type::list};
        for (const auto& r : t.rows) {
            mustache::data row{mustache::data::type::object};
            row.set("label", r.label);
            row.set("count", std::to_string(r.count));
            rows.push_back(row);
        }
        sec.set("rows", rows);
        sections.push_back(sec);
    }
    d.set("sections", sections);
    return ctx.page(200, "statistics", std::move(d));
}

Response statistics_csv(Context& ctx) {
    const std::string file = ctx.param("table");
    const auto dot = file.rfind(".csv");
    if (dot == std::string::npos || dot + 4 != file.size()) return status_response(ctx, 404);
    const std::string key = file.substr(0, dot);
    auto s = figures(ctx);
    if (!s) return error_response(ctx, s.error());
    for (const auto& t : tables_of(ctx, **s)) {
        if (key != t.key) continue;
        // UTF-8 with a byte order mark: without it Excel in Japan reads the file as Shift_JIS.
        std::string body = "\xEF\xBB\xBF";
        body += key == "month" ? "month,count\r\n" : key + "_code," + key + ",count\r\n";
        for (const auto& r : t.rows) {
            if (key != "month")
                body += render::csv_cell(r.code) + "," + render::csv_cell(r.label) + ",";
            else
                body += render::csv_cell(r.code) + ",";
            body += std::to_string(r.count) + "\r\n";
        }
        Response resp = download_response("text/csv; charset=utf-8", "statistics-" + key + ".csv", std::move(body));
        resp.set("Cache-Control", "public, max-age=300");
        return resp;
    }
    return status_response(ctx, 404);
}

Response api_statistics(Context& ctx) {
    auto s = figures(ctx);
    if (!s) return error_response(ctx, s.error());
    const auto& st = **s;
    Json j;
    j["computed_at"] = dates::rfc3339_utc(st.computed_at);
    j["in_force"] = st.in_force;
    auto list = [](const auto& pairs, const char* key_name) {
        Json a = Json::array();
        for (const auto& [k, n] : pairs) a.push_back(Json{{key_name, k}, {"count", n}});
        return a;
    };
    j["by_level"] = list(st.by_level, "level");
    j["by_prefecture"] = list(st.by_prefecture, "prefecture");
    j["by_industry"] = list(st.by_industry, "industry");
    j["issued_by_month"] = list(st.issued_by_month, "month");
    Response r = json_response(200, j);
    r.set("Access-Control-Allow-Origin", "*");
    r.set("Cache-Control", "public, max-age=300");
    return r;
}

}  // namespace sengen::web::handlers
