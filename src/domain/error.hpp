// Expected failures as values: Result<T> = tl::expected<T, Error>. A broken invariant is a bug
// and asserts instead. The web layer maps Error::Kind to responses in one place (web/errors.cpp).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace sengen {

// One problem with one input field. `code` is stable (used by API clients and message catalogues).
struct FieldError {
    std::string field;
    std::string code;
};

struct Error {
    enum class Kind { Invalid, NotFound, Conflict, Forbidden, IllegalTransition, Unavailable, TooMany };

    Kind kind;
    std::string code;                // stable, e.g. "storage.unavailable"
    std::string detail;              // for logs and operators; never shown to the public as is
    std::vector<FieldError> fields;  // for Kind::Invalid: every field problem at once

    static Error invalid(std::vector<FieldError> f, std::string code = "invalid") {
        return Error{Kind::Invalid, std::move(code), {}, std::move(f)};
    }
    static Error not_found(std::string code, std::string detail = {}) {
        return Error{Kind::NotFound, std::move(code), std::move(detail), {}};
    }
    static Error conflict(std::string code, std::string detail = {}) {
        return Error{Kind::Conflict, std::move(code), std::move(detail), {}};
    }
    static Error forbidden(std::string code, std::string detail = {}) {
        return Error{Kind::Forbidden, std::move(code), std::move(detail), {}};
    }
    static Error illegal_transition(std::string code, std::string detail = {}) {
        return Error{Kind::IllegalTransition, std::move(code), std::move(detail), {}};
    }
    static Error unavailable(std::string code, std::string detail = {}) {
        return Error{Kind::Unavailable, std::move(code), std::move(detail), {}};
    }
    static Error too_many(std::string code, std::string detail = {}) {
        return Error{Kind::TooMany, std::move(code), std::move(detail), {}};
    }
};

template <typename T>
using Result = tl::expected<T, Error>;

using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

}  // namespace sengen
