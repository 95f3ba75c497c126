// The catalogue in force: a reload that loads replaces the snapshot whole, one that does not leaves
// it in force, and a snapshot a reader holds stays valid across reloads.
#include <gtest/gtest.h>

#include "app/subsidy_catalogue.hpp"
#include "content/registry_content.hpp"
#include "embedded/embedded.hpp"

using namespace sengen;

namespace {

// A source whose text the test changes between reloads.
class TextSource final : public subsidy::CatalogueSource {
public:
    std::string text;
    bool readable = true;
    std::string name() const override { return "test.toml"; }
    Result<std::string> read() const override {
        if (!readable) return fail(Error::unavailable("content.unreadable", "test.toml: gone\n"));
        return text;
    }
};

std::string catalogue_with(const std::string& edition, const std::string& slug) {
    return "edition = \"" + edition + R"("
[[programme]]
slug = ")" +
           slug + R"("
name.ja = "名"
name.en = "Name"
body.ja = "国"
body.en = "State"
summary.ja = "要約"
summary.en = "Summary"
scope = "national"
accepts = ["any"]
status = "unknown"
sources = ["https://example.go.jp/"]
checked = 2026-12-06
[[programme.ask]]
kind = "required"
level = 1
)";
}

content::CatalogueReferences refs() { return {{1, 2}, {"13"}}; }

}  // namespace

TEST(SubsidyCatalogueInForce, a_good_reload_swaps_the_snapshot_and_returns_both) {
    TextSource source;
    source.text = catalogue_with("e-1", "first");
    auto in_force = app::SubsidyCatalogue::open(source, refs());
    ASSERT_TRUE(in_force) << in_force.error().detail;
    auto held = (*in_force)->current();
    source.text = catalogue_with("e-2", "second");
    auto r = (*in_force)->reload();
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->before->edition(), "e-1");
    EXPECT_EQ(r->after->edition(), "e-2");
    EXPECT_NE((*in_force)->current()->find("second"), nullptr);
    // A reader that took the old snapshot keeps a whole, unchanged view.
    EXPECT_EQ(held->edition(), "e-1");
    EXPECT_NE(held->find("first"), nullptr);
}

TEST(SubsidyCatalogueInForce, a_bad_reload_is_refused_and_the_old_snapshot_stays) {
    TextSource source;
    source.text = catalogue_with("e-1", "first");
    auto in_force = app::SubsidyCatalogue::open(source, refs());
    ASSERT_TRUE(in_force);
    source.text = catalogue_with("e-2", "Not A Slug");
    auto r = (*in_force)->reload();
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("test.toml:3: programme: slug 'Not A Slug'"), std::string::npos)
        << r.error().detail;
    EXPECT_EQ((*in_force)->current()->edition(), "e-1");
    source.readable = false;
    EXPECT_FALSE((*in_force)->reload());
    EXPECT_EQ((*in_force)->current()->edition(), "e-1");
}

TEST(SubsidyCatalogueInForce, a_source_that_does_not_load_at_start_is_an_error) {
    TextSource source;
    source.text = "edition = \"e-1\"\n";
    auto in_force = app::SubsidyCatalogue::open(source, refs());
    ASSERT_FALSE(in_force);
    EXPECT_NE(in_force.error().detail.find("'programme' is missing"), std::string::npos) << in_force.error().detail;
}
