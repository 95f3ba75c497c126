// The only translation unit that includes RESTinio (it is slow to compile; stack.md pitfall 3).
#include "web/server.hpp"

#include <csignal>
#include <thread>

#include <spdlog/spdlog.h>
#include <restinio/all.hpp>

namespace sengen::web {

namespace {

using Traits = restinio::default_traits_t;

Request to_request(const restinio::request_handle_t& rq) {
    Request r;
    const auto& h = rq->header();
    r.method_text = h.method().c_str();
    r.method = parse_method(r.method_text);
    r.path = url_decode(std::string(h.path()), false);
    r.query = std::string(h.query());
    for (const auto& f : h) {
        std::string name = f.name();
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers.emplace_back(std::move(name), f.value());
    }
    r.body = rq->body();
    r.remote_ip = rq->remote_endpoint().address().to_string();
    return r;
}

}  // namespace

int serve(const config::Config& config, App& app, std::function<void()> on_listening) {
    asio::io_context ioctx;
    const auto hard_body_cap = static_cast<std::uint64_t>(config.max_body_bytes) * 4 + 65536;

    restinio::http_server_t<Traits> server{
        restinio::external_io_context(ioctx), [&](auto& s) {
            s.port(config.listen_port)
                .address(config.listen_host)
                .read_next_http_message_timelimit(config.read_timeout)
                .write_http_response_timelimit(config.write_timeout)
                .handle_request_timeout(std::chrono::seconds(60))
                // Bodies between max-body-bytes and this cap get a 413 from the App; beyond it the
                // connection is closed, as RESTinio cannot answer from inside its parser.
                .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                              .max_url_size(8 * 1024)
                                              .max_field_name_size(1024)
                                              .max_field_value_size(16 * 1024)
                                              .max_field_count(100)
                                              .max_body_size(hard_body_cap))
                .request_handler([&app](restinio::request_handle_t rq) {
                    Request req = to_request(rq);
                    Response res = app.handle(req);
                    // Content-Length is set by hand: a HEAD response, and a 304, state the length
                    // of the body a GET would get (RFC 9110 §8.6, §9.3.2) but carry none.
                    auto out = rq->create_response<restinio::user_controlled_output_t>(restinio::http_status_line_t{
                        restinio::http_status_code_t{static_cast<std::uint16_t>(res.status)},
                        std::string(reason_phrase(res.status))});
                    for (auto& [k, v] : res.headers) out.append_header(k, v);
                    out.set_content_length(res.body.size());
                    if (req.method != Method::Head && res.status != 304) out.set_body(std::move(res.body));
                    out.connection_keep_alive();
                    return out.done();
                });
        }};

    try {
        server.open_sync();
    } catch (const std::exception& e) {
        spdlog::error("cannot listen on {}:{}: {}", config.listen_host, config.listen_port, e.what());
        return 1;
    }
    spdlog::info("listening on http://{}:{} (base URL {})", config.listen_host, config.listen_port, config.base_url);

    std::atomic<bool> stopping{false};
    std::thread stopper;
    asio::signal_set signals(ioctx, SIGINT, SIGTERM);
    signals.async_wait([&](const asio::error_code& ec, int sig) {
        if (ec) return;
        spdlog::info("signal {}: no new connections; finishing requests in flight", sig);
        stopping = true;
        server.close_sync();
        stopper = std::thread([&] {
            const auto deadline = std::chrono::steady_clock::now() + config.shutdown_grace;
            while (app.in_flight() > 0 && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            // Let the last responses leave their buffers before the loop stops.
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            ioctx.stop();
        });
    });

    if (on_listening) on_listening();
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < config.threads; ++i) pool.emplace_back([&] { ioctx.run(); });
    ioctx.run();
    for (auto& t : pool) t.join();
    if (stopper.joinable()) stopper.join();
    spdlog::info("stopped");
    return 0;
}

}  // namespace sengen::web
