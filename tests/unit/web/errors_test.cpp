#include <gtest/gtest.h>

#include "domain/error_codes.hpp"
#include "web/errors.hpp"

using namespace sengen;
using namespace sengen::web;

TEST(ErrorMapping, id_problems_are_400_and_other_invalid_input_422) {
    EXPECT_EQ(http_status(Error::invalid({{"id", "check_digit"}}, codes::kIdCheckDigit)), 400);
    EXPECT_EQ(http_status(Error::invalid({{"id", "id_format"}}, codes::kIdMalformed)), 400);
    EXPECT_EQ(http_status(Error::invalid({{"body", "malformed_json"}}, codes::kRequestMalformed)), 400);
    EXPECT_EQ(http_status(Error::invalid({}, codes::kUnsupportedMediaType)), 415);
    EXPECT_EQ(http_status(Error::invalid({{"business_name", "required"}}, "application.invalid")), 422);
    EXPECT_EQ(http_status(Error::conflict(codes::kDuplicateCorporateNumber)), 409);
    EXPECT_EQ(http_status(Error::not_found(codes::kDeclarationNotFound)), 404);
    EXPECT_EQ(http_status(Error::too_many("rate.search.ip")), 429);
}
