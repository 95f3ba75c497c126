// The JSON texts answers, drafts and policy documents are stored as: they read back unchanged,
// the bytes written stay those already in databases, and anything else is refused.
#include <gtest/gtest.h>

#include <random>

#include "codec/stored_json.hpp"
#include "content/template_loader.hpp"

using namespace sengen;
using assessment::Answer;
using assessment::Answers;
using codec::decode_answers;
using codec::encode_answers;
using policy::Draft;

namespace {

Answers random_answers(std::mt19937& rng) {
    std::uniform_int_distribution<int> pick(0, 3);
    Answers a;
    for (int n = 1; n <= 25; ++n) a[n] = assessment::all_answers[static_cast<std::size_t>(pick(rng))];
    return a;
}

const policy::Template& tpl() {
    static const auto lib = content::load_embedded_policy_templates().value();
    return lib.current();
}

Draft complete() {
    Draft d;
    d.business_name = "株式会社さくら印刷";
    d.assets = "customers";
    d.established = "2026-04-01";
    d.representative_title = "代表取締役";
    d.representative_name = "佐藤 花子";
    return d;
}

}  // namespace

TEST(StoredAnswers, round_trip_through_their_json_text) {
    std::mt19937 rng(1);
    for (int run = 0; run < 200; ++run) {
        auto a = random_answers(rng);
        auto text = encode_answers(a);
        auto back = decode_answers(text);
        ASSERT_TRUE(back) << text;
        EXPECT_EQ(*back, a);
    }
    EXPECT_EQ(encode_answers({{1, Answer::Done}, {2, Answer::NotDone}}), R"({"1":"done","2":"not_done"})");
    EXPECT_FALSE(decode_answers("[]"));
    EXPECT_FALSE(decode_answers(R"({"1":"yes"})"));
    EXPECT_FALSE(decode_answers(R"({"one":"done"})"));
    EXPECT_FALSE(decode_answers("{"));
}

TEST(StoredPolicy, drafts_and_documents_survive_storage_unchanged) {
    Draft d = complete();
    d.preamble = "前文\n\"引用\" <b>";
    d.sections[4] = "";
    auto back = codec::decode_draft(codec::encode_draft(d));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->preamble, d.preamble);
    EXPECT_EQ(back->sections, d.sections);
    EXPECT_EQ(back->established, d.established);
    auto doc = policy::resolve(tpl(), d);
    auto doc_back = codec::decode_document(codec::encode_document(doc));
    ASSERT_TRUE(doc_back);
    EXPECT_EQ(doc_back->preamble, doc.preamble);
    EXPECT_EQ(doc_back->sections.size(), 5u);
    EXPECT_EQ(doc_back->sections[4].body, "");
    EXPECT_FALSE(codec::decode_draft("[]"));
    EXPECT_FALSE(codec::decode_draft("{\"lang\":\"ja\"}"));
    EXPECT_FALSE(codec::decode_document("not json"));
}

// The text of a draft as it is already stored: keys in alphabetical order, UTF-8 as is, a text
// that follows the template as null.
TEST(StoredPolicy, a_draft_is_written_as_the_text_already_in_databases) {
    Draft d = complete();
    d.lang = Lang::En;
    d.sections[1] = "Our own words.";
    EXPECT_EQ(codec::encode_draft(d),
              R"({"assets":"customers","business_name":"株式会社さくら印刷","established":"2026-04-01",)"
              R"("lang":"en","preamble":null,"representative_name":"佐藤 花子","representative_title":"代表取締役",)"
              R"("sections":[null,"Our own words.",null,null,null]})");
    auto back = codec::decode_draft(codec::encode_draft(d));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->lang, Lang::En);
}
