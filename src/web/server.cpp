// The only translation unit that includes RESTinio (it is slow to compile).
#include "web/server.hpp"

#include "domain/ip_network.hpp"

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <fstream>
#include <memory>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>
#include <restinio/all.hpp>
#include <restinio/tls.hpp>

namespace sengen::web {

namespace {

// One thread per event loop (see serve): no strand. Plain HTTP, or HTTPS with tls-cert and
// tls-key (ADR 54); the same loops, limits and shutdown either way.
using PlainTraits = restinio::default_single_thread_traits_t;
// A type of its own (not an alias) so that the handshake overload below is found for it.
struct TlsTraits : restinio::single_thread_tls_traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t> {};
template <typename Traits>
constexpr bool kTls = std::is_same_v<typename Traits::stream_socket_t, restinio::tls_socket_t>;
using TlsContext = std::shared_ptr<asio::ssl::context>;

// TLS 1.2 only with forward secrecy and authenticated encryption (the "intermediate" list of
// Mozilla's server-side TLS guidelines); TLS 1.3's own suites are all of that kind.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// The oldest error OpenSSL queued (the cause), as text; the queue is emptied.
std::string openssl_reason() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return "no reason given";
    const char* reason = ERR_reason_error_string(code);
    return reason != nullptr ? reason : "error " + std::to_string(code);
}

// Whether `path` can be opened for reading; otherwise why not, naming the setting.
Status readable(const std::string& setting, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (in) return {};
    const std::string why = std::error_code(errno, std::generic_category()).message();
    return fail(Error{Error::Kind::Invalid, "tls.unreadable", setting + ": cannot read '" + path + "': " + why, {}});
}

Error tls_error(const std::string& setting, const std::string& text) {
    return Error{Error::Kind::Invalid, "tls.invalid", setting + ": " + text, {}};
}

// The listener's TLS context from tls-cert and tls-key: every problem is found here, at start,
// and named by its setting, rather than at the first connection.
Result<TlsContext> make_tls_context(const config::Config& config) {
    if (auto ok = readable("tls-cert", config.tls_cert); !ok) return fail(std::move(ok.error()));
    if (auto ok = readable("tls-key", config.tls_key); !ok) return fail(std::move(ok.error()));
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                     asio::ssl::context::no_compression | asio::ssl::context::single_dh_use);
    SSL_CTX* native = ctx->native_handle();
    SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1)
        return fail(tls_error("tls-cert", "OpenSSL refused the TLS settings: " + openssl_reason()));
    // A key protected by a passphrase is refused below instead of asked for on the terminal.
    ctx->set_password_callback([](std::size_t, asio::ssl::context::password_purpose) { return std::string(); });
    // The key first: loading the certificate then drops a key that does not belong to it, which
    // the last check reports as such (the other order fails the key with no reason given).
    asio::error_code ec;
    ERR_clear_error();
    ctx->use_private_key_file(config.tls_key, asio::ssl::context::pem, ec);
    if (ec)
        return fail(tls_error(
            "tls-key", "'" + config.tls_key + "' holds no unencrypted PEM private key (" + openssl_reason() + ")"));
    ctx->use_certificate_chain_file(config.tls_cert, ec);
    if (ec)
        return fail(
            tls_error("tls-cert", "'" + config.tls_cert + "' holds no PEM certificate (" + openssl_reason() + ")"));
    if (SSL_CTX_check_private_key(native) != 1)
        return fail(tls_error("tls-key", "the key in '" + config.tls_key + "' does not belong to the certificate in '" +
                                             config.tls_cert + "' (tls-cert)"));
    return ctx;
}

// How long a client may take over the TLS handshake: read-timeout, set once before any listener
// opens. RESTinio starts its timers only after the handshake, so without this bound a client that
// connects and sends nothing (or half a ClientHello) would hold its connection for ever.
std::chrono::steady_clock::duration handshake_timeout = std::chrono::seconds(30);  // NOLINT(*-non-const-global-*)

// RESTinio's own step for a TLS connection (restinio/tls.hpp), with the handshake bounded: found
// by argument-dependent lookup for connections of TlsTraits, and preferred as the more specialised
// overload. When the time is up the socket's operations are cancelled, the handshake fails, and
// RESTinio closes the connection as for any failed handshake.
template <typename StartRead, typename Failed>
void prepare_connection_and_start_read(restinio::tls_socket_t& socket, restinio::impl::connection_t<TlsTraits>& con,
                                       StartRead start_read_cb, Failed failed_cb) {
    auto timer = std::make_shared<asio::steady_timer>(socket.get_executor(), handshake_timeout);
    timer->async_wait([&socket, alive = std::weak_ptr(con.shared_from_this())](const asio::error_code& ec) {
        if (ec || alive.expired()) return;  // cancelled: the handshake ended in time
        asio::error_code ignored;
        socket.lowest_layer().cancel(ignored);
    });
    socket.async_handshake(asio::ssl::stream_base::server,
                           [timer, start_read_cb = std::move(start_read_cb), failed_cb = std::move(failed_cb),
                            con = con.shared_from_this()](const asio::error_code& ec) {
                               timer->cancel();
                               if (!ec)
                                   start_read_cb();
                               else
                                   failed_cb(ec);
                           });
}

// A warning at start when the certificate has expired or will within 30 days: the proxy that
// checks it would then refuse every connection, and the operator should hear of it first.
void warn_of_expiry(const config::Config& config, const TlsContext& tls) {
    constexpr int kWarnDays = 30;
    const X509* cert = SSL_CTX_get0_certificate(tls->native_handle());
    const ASN1_TIME* not_after = cert != nullptr ? X509_get0_notAfter(cert) : nullptr;
    int days = 0;
    int seconds = 0;
    std::tm end{};
    if (not_after == nullptr || ASN1_TIME_diff(&days, &seconds, nullptr, not_after) != 1 ||
        ASN1_TIME_to_tm(not_after, &end) != 1)
        return;
    const std::string date = fmt::format("{:04}-{:02}-{:02}", end.tm_year + 1900, end.tm_mon + 1, end.tm_mday);
    if (days < 0 || (days == 0 && seconds <= 0))
        spdlog::warn("tls-cert: the certificate in '{}' expired on {} (UTC): renew it and restart", config.tls_cert,
                     date);
    else if (days < kWarnDays)
        spdlog::warn("tls-cert: the certificate in '{}' expires on {} (UTC), within {} days: renew it and restart",
                     config.tls_cert, date, kWarnDays);
}

// Hands the TLS context to a listener's settings (nothing for plain HTTP).
template <typename Traits, typename Settings>
void use_tls(Settings& s, const TlsContext& tls) {
    if constexpr (kTls<Traits>) s.tls_context(tls);
}

std::string scheme_of(const TlsContext& tls) { return tls ? "https" : "http"; }

// The peer's address as text (IPv4-mapped IPv6 written as IPv4).
std::string address_text(const asio::ip::address& a) {
    if (a.is_v4()) return IpAddress::from_bytes(a.to_v4().to_bytes().data(), IpFamily::V4).text();
    return IpAddress::from_bytes(a.to_v6().to_bytes().data(), IpFamily::V6).text();
}

Request to_request(const restinio::request_handle_t& rq, const config::Config& config) {
    Request r;
    const auto& h = rq->header();
    r.method_text = h.method().c_str();
    r.method = parse_method(r.method_text);
    r.path = url_decode(h.path(), Plus::Literal);
    r.query = std::string(h.query());
    r.headers.reserve(h.fields_count());
    for (const auto& f : h) {
        std::string name = f.name();
        for (auto& c : name)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        r.headers.emplace_back(std::move(name), f.value());
    }
    r.body = rq->body();
    const std::string peer = address_text(rq->remote_endpoint().address());
    if (config.trusted_proxies.empty()) {
        r.remote_ip = peer;
    } else {
        std::vector<std::string_view> forwarded;
        for (const auto& [name, value] : r.headers)
            if (name == "x-forwarded-for") forwarded.push_back(value);
        r.remote_ip = client_address(peer, forwarded, config.trusted_proxies);
    }
    return r;
}

// Writes `res` as the answer to `rq`. Content-Length is set by hand: a HEAD response, and a 304,
// state the length of the body a GET would get (RFC 9110 §8.6, §9.3.2) but carry none.
restinio::request_handling_status_t respond(const restinio::request_handle_t& rq, Method method, Response res) {
    auto out = rq->create_response<restinio::user_controlled_output_t>(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(res.status)}, std::string(reason_phrase(res.status))});
    for (auto& [k, v] : res.headers) out.append_header(k, v);
    out.set_content_length(res.body.size());
    if (method != Method::Head && res.status != 304) out.set_body(std::move(res.body));
    out.connection_keep_alive();
    return out.done();
}

// Whether something on this machine already listens on host:port. The listeners below share
// their port (SO_REUSEPORT), which would let a second sengen join the first one's port silently
// and split its connections: a plain bind first keeps "address in use" an error, as it is for
// any other server. (Between this probe and the listeners' own binds another process could
// still take the port; it would then be the one to fail.)
void probe_port(asio::io_context& ioctx, const config::Config& config) {
    asio::ip::tcp::acceptor probe(ioctx);
    // The names RESTinio itself accepts for an address (impl/acceptor.hpp).
    std::string host = config.listen_host;
    if (host == "localhost") host = "127.0.0.1";
    if (host == "ip6-localhost") host = "::1";
    if (host.empty()) host = "0.0.0.0";
    const asio::ip::tcp::endpoint at(asio::ip::make_address(host), config.listen_port);
    probe.open(at.protocol());
    probe.set_option(asio::ip::tcp::acceptor::reuse_address(true));
    probe.bind(at);
}

// One event loop per thread, each with its own listener on the shared port (SO_REUSEPORT: the
// kernel spreads new connections over them). A connection lives on one thread from accept to
// close, so RESTinio needs no strand and asio no locks between threads. Routes marked slow (PDFs)
// are handled on a small pool instead, so that they do not hold up the other connections of their
// loop; their answers are written back on the loop. Measured and weighed in docs/adr/0025.
template <typename Traits>
int serve_on(const config::Config& config, App& app, const ServeHooks& hooks, const TlsContext& tls) {
    using Server = restinio::http_server_t<Traits>;
    const unsigned loops = std::max(1u, config.threads);
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    for (unsigned i = 0; i < loops; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
    const auto hard_body_cap = static_cast<std::uint64_t>(config.max_body_bytes) * 4 + 65536;

    // Slow routes (PDFs) run here. PDFs are laid out one at a time anyway (render/fonts.hpp), so
    // two threads are enough: one lays a document out while the other waits its turn.
    constexpr int kSlowWorkers = 2;
    asio::io_context slow_work(kSlowWorkers);
    auto slow_guard = asio::make_work_guard(slow_work);
    std::atomic<int> slow_pending{0};  // accepted for the pool, answer not yet handed to its loop
    // Beyond this many (being made or waiting), a slow request is turned away at once with 503:
    // an unbounded queue would let a flood of PDF requests hold memory and make every PDF late.
    const int slow_capacity = kSlowWorkers + static_cast<int>(config.pdf_queue);

    std::vector<std::unique_ptr<Server>> servers;
    servers.reserve(contexts.size());
    for (auto& ioctx : contexts) {
        servers.push_back(std::make_unique<Server>(restinio::external_io_context(*ioctx), [&](auto& s) {
            s.port(config.listen_port)
                .address(config.listen_host)
                .acceptor_options_setter([](restinio::acceptor_options_t& o) {
                    o.set_option(asio::ip::tcp::acceptor::reuse_address(true));
                    o.set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
                })
                .read_next_http_message_timelimit(config.read_timeout)
                .write_http_response_timelimit(config.write_timeout)
                .handle_request_timeout(std::chrono::seconds(60))
                // RESTinio cannot answer from inside its parser: past these limits it closes the
                // connection without a word. So they sit well above the App's own (kRequestLimits in app.cpp,
                // max-body-bytes), and a request between the two gets 414, 431 or 413 from the App.
                // http_parser itself allows 80 KiB of request line and headers together.
                .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                              .max_url_size(std::size_t{64} * 1024)
                                              .max_field_name_size(std::size_t{8} * 1024)
                                              .max_field_value_size(std::size_t{64} * 1024)
                                              .max_field_count(1000)
                                              .max_body_size(hard_body_cap))
                .request_handler([&app, &config, &slow_work, &slow_pending, slow_capacity,
                                  loop = ioctx.get()](const restinio::request_handle_t& rq) {
                    Request req = to_request(rq, config);
                    Match match = app.route(req);
                    // An oversized body is answered (413) here, before it could take a place in
                    // the queue.
                    if (!match.slow() || req.body.size() > config.max_body_bytes)
                        return respond(rq, req.method, app.handle(req, match));
                    // A PDF already made (a published policy's, from the node's cache) is answered
                    // here: it costs no more than a page, and never waits for the pool.
                    if (auto quick = app.handle_quick(req, match)) return respond(rq, req.method, std::move(*quick));
                    if (slow_pending.fetch_add(1) >= slow_capacity) {
                        --slow_pending;
                        return respond(rq, req.method, app.busy(req, match));
                    }
                    // Handled on the pool; the answer is written back on this loop, the only
                    // thread that ever touches the connection.
                    asio::post(
                        slow_work, [&app, &slow_pending, loop, rq, req = std::move(req), match = std::move(match)] {
                            auto res = std::make_shared<Response>(app.handle(req, match));
                            asio::post(*loop, [rq, method = req.method, res] { respond(rq, method, std::move(*res)); });
                            --slow_pending;
                        });
                    return restinio::request_accepted();
                });
            use_tls<Traits>(s, tls);
        }));
    }

    try {
        probe_port(*contexts[0], config);
        for (auto& server : servers) server->open_sync();
    } catch (const std::exception& e) {
        spdlog::error("cannot listen on {}:{}: {}", config.listen_host, config.listen_port, e.what());
        return 1;
    }
    spdlog::info("listening on {}://{}:{} (base URL {}; {} threads)", scheme_of(tls), config.listen_host,
                 config.listen_port, config.base_url, loops);

    // Started only once the port is ours: a failed bind returns above with no thread to join.
    std::vector<std::thread> slow_threads;
    slow_threads.reserve(kSlowWorkers);
    for (int i = 0; i < kSlowWorkers; ++i)
        slow_threads.emplace_back([&slow_work] {
            // Below the event loops' priority: when the cores are scarce, the cheap requests on
            // the loops go first and the PDFs take what is left.
            (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
            slow_work.run();
        });

    std::thread stopper;
    asio::signal_set signals(*contexts[0], SIGINT, SIGTERM);
    signals.async_wait([&](const asio::error_code& ec, int sig) {
        if (ec) return;
        spdlog::info("signal {}: no new connections; finishing requests in flight", sig);
        // Each listener is closed on its own thread.
        for (auto& server : servers) server->close_async([] {}, [](const std::exception_ptr&) {});
        stopper = std::thread([&] {
            const auto deadline = std::chrono::steady_clock::now() + config.shutdown_grace;
            while ((app.in_flight() > 0 || slow_pending > 0) && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            // Let the last responses leave their buffers before the loops stop.
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            for (auto& ioctx : contexts) ioctx->stop();
        });
    });

    // SIGHUP: read content again. Re-armed after each signal; the work goes to the pool.
    asio::signal_set hangups(*contexts[0]);
    std::function<void()> await_hangup = [&] {
        hangups.async_wait([&](const asio::error_code& ec, int) {
            if (ec) return;
            spdlog::info("signal SIGHUP: reloading content");
            asio::post(slow_work, hooks.on_hangup);
            await_hangup();
        });
    };
    if (hooks.on_hangup) {
        hangups.add(SIGHUP);
        await_hangup();
    }

    if (hooks.on_listening) hooks.on_listening();
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < loops; ++i) pool.emplace_back([&, i] { contexts[i]->run(); });
    contexts[0]->run();
    for (auto& t : pool) t.join();
    if (stopper.joinable()) stopper.join();
    slow_guard.reset();
    for (auto& t : slow_threads) t.join();
    servers.clear();
    spdlog::info("stopped");
    return 0;
}

template <typename Traits>
int serve_handler_on(const config::Config& config, const std::function<Response(const Request&)>& handler,
                     const ServeHooks& hooks, const TlsContext& tls) {
    using Server = restinio::http_server_t<Traits>;
    asio::io_context ioctx(1);
    Server server(restinio::external_io_context(ioctx), [&](auto& s) {
        s.port(config.listen_port)
            .address(config.listen_host)
            .read_next_http_message_timelimit(config.read_timeout)
            .write_http_response_timelimit(config.write_timeout)
            .handle_request_timeout(std::chrono::seconds(60))
            .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                          .max_url_size(std::size_t{8} * 1024)
                                          .max_field_name_size(std::size_t{8} * 1024)
                                          .max_field_value_size(std::size_t{16} * 1024)
                                          .max_field_count(100)
                                          .max_body_size(static_cast<std::uint64_t>(config.max_body_bytes)))
            .request_handler([&](const restinio::request_handle_t& rq) {
                const Request req = to_request(rq, config);
                return respond(rq, req.method, handler(req));
            });
        use_tls<Traits>(s, tls);
    });
    try {
        server.open_sync();
    } catch (const std::exception& e) {
        spdlog::error("cannot listen on {}:{}: {}", config.listen_host, config.listen_port, e.what());
        return 1;
    }
    spdlog::info("listening on {}://{}:{}", scheme_of(tls), config.listen_host, config.listen_port);
    asio::signal_set signals(ioctx, SIGINT, SIGTERM);
    signals.async_wait([&](const asio::error_code& ec, int sig) {
        if (ec) return;
        spdlog::info("signal {}: stopping", sig);
        server.close_async([&] { ioctx.stop(); }, [&](const std::exception_ptr&) { ioctx.stop(); });
    });
    if (hooks.on_listening) hooks.on_listening();
    ioctx.run();
    spdlog::info("stopped");
    return 0;
}

}  // namespace

Status check_tls(const config::Config& config) {
    if (config.tls_cert.empty()) return {};
    auto tls = make_tls_context(config);
    if (!tls) return fail(std::move(tls.error()));
    return {};
}

// Runs `run` on the traits the settings ask for: plain HTTP, or TLS with the context made from
// tls-cert and tls-key (a context that cannot be made is logged, and the answer is 1).
template <class Run>
int on_chosen_traits(const config::Config& config, Run&& run) {
    if (config.tls_cert.empty()) return run(std::type_identity<PlainTraits>{}, nullptr);
    handshake_timeout = config.read_timeout;
    auto tls = make_tls_context(config);
    if (!tls) {
        spdlog::error("{}", tls.error().detail);
        return 1;
    }
    warn_of_expiry(config, *tls);
    return run(std::type_identity<TlsTraits>{}, *tls);
}

int serve(const config::Config& config, App& app, const ServeHooks& hooks) {
    return on_chosen_traits(config, [&](auto traits, const auto& tls) {
        return serve_on<typename decltype(traits)::type>(config, app, hooks, tls);
    });
}

int serve_handler(const config::Config& config, const std::function<Response(const Request&)>& handler,
                  const ServeHooks& hooks) {
    return on_chosen_traits(config, [&](auto traits, const auto& tls) {
        return serve_handler_on<typename decltype(traits)::type>(config, handler, hooks, tls);
    });
}

}  // namespace sengen::web
