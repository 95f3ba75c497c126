# Every dependency is a Debian package; scripts/install-deps.sh installs them.
find_package(PkgConfig REQUIRED)
find_package(fmt CONFIG REQUIRED)        # before restinio: its targets link fmt::fmt without finding it
find_package(restinio CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(SQLiteCpp CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n)
find_package(Threads REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# HMAC-SHA1 for operators' TOTP codes (RFC 6238): docs/adr/0031-operator-sign-in.md. SSL: the
# listener's optional TLS (docs/adr/0054-tls-on-sengens-own-listener.md).
find_package(OpenSSL REQUIRED COMPONENTS Crypto SSL)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
# PDF reports and badges: pango on cairo, with BIZ UDPGothic (fonts-morisawa-bizud-gothic) at run
# time, and fonts-noto-cjk for the characters it lacks (docs/adr/0058-documents-use-a-truetype-face.md).
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET pangocairo cairo-pdf cairo-svg cairo-png)
# .xlsx exports (docs/adr/0035-xlsx-with-libxlsxwriter.md).
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
