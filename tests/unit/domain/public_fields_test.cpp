// The list of fields anyone can see (kPublicFields) is the public view's members, no more and no
// fewer: a member added to PublicDeclaration without being listed makes this test fail, so the
// pages that tell declarants what is published (terms, apply, check, confirm, privacy) stay true.
#include <gtest/gtest.h>

#include <cstddef>
#include <set>
#include <string>

#include "domain/declaration.hpp"

namespace sengen {
namespace {

// Converts to any member type, so that brace initialisation can count an aggregate's members.
struct AnyMember {
    template <class T>
    operator T() const;  // NOLINT(google-explicit-constructor): declared only, for the count
};

template <class T, class... Given>
constexpr std::size_t member_count() {
    if constexpr (requires { T{Given{}..., AnyMember{}}; })
        return member_count<T, Given..., AnyMember>();
    else
        return sizeof...(Given);
}

TEST(PublicFields, ListsEveryMemberOfThePublicView) {
    static_assert(std::is_aggregate_v<PublicDeclaration>, "the count below needs an aggregate");
    EXPECT_EQ(member_count<PublicDeclaration>(), kPublicFields.size())
        << "a member of PublicDeclaration is public: list it in kPublicFields (and give it labels in the catalogues)";
}

TEST(PublicFields, EachFieldHasOneDistinctCode) {
    std::set<std::string> codes;
    for (auto f : kPublicFields) {
        auto c = std::string(public_field_code(f));
        EXPECT_FALSE(c.empty());
        EXPECT_TRUE(codes.insert(c).second) << c;
    }
    EXPECT_TRUE(codes.count("business_name_kana"));
    EXPECT_TRUE(codes.count("end_reason"));
}

TEST(PublicFields, NothingPrivateIsListed) {
    for (auto f : kPublicFields)
        for (const char* secret : {"contact_email", "contact_name", "phone", "corporate_number", "address",
                                   "representative_name", "postal_code"})
            EXPECT_NE(public_field_code(f), secret);
}

}  // namespace
}  // namespace sengen
