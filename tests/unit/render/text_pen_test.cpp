// TextPen keeps the layouts of the texts it has laid out (ADR 58); each one it hands back must be
// the layout of the text, size, weight, width, alignment and spacing asked for now.
#include <gtest/gtest.h>

#include <string>

#include <cairo-pdf.h>

#include "render/fonts.hpp"

using namespace sengen;
using namespace sengen::render;

namespace {

class TextPenTest : public ::testing::Test {
protected:
    void SetUp() override {
        forget_layouts();
        surface_ = cairo_pdf_surface_create_for_stream(nullptr, nullptr, kPageWidth, kPageHeight);
        cr_ = cairo_create(surface_);
    }
    void TearDown() override {
        cairo_destroy(cr_);
        cairo_surface_destroy(surface_);
    }
    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
};

const std::string kPenText = "情報セキュリティ対策に取り組むことを宣言します。Information security.";

}  // namespace

TEST_F(TextPenTest, every_setting_of_a_kept_text_gives_its_own_layout) {
    TextPen pen(cr_, Lang::Ja);
    const auto plain = pen.text(kPenText, 10, false, 0);
    const double w = TextPen::width(plain), h = TextPen::height(plain);
    EXPECT_GT(TextPen::width(pen.text(kPenText, 20, false, 0)), w * 1.8) << "size";
    EXPECT_GT(TextPen::width(pen.text(kPenText, 10, true, 0)), w) << "weight";
    EXPECT_GT(TextPen::height(pen.text(kPenText, 10, false, 100)), h * 3) << "width";
    EXPECT_GT(TextPen::height(pen.text(kPenText, 10, false, 100, Align::Left, 1.0)),
              TextPen::height(pen.text(kPenText, 10, false, 100)))
        << "spacing";
    EXPECT_NE(pango_layout_get_alignment(pen.text(kPenText, 10, false, 100, Align::Right).get()),
              pango_layout_get_alignment(pen.text(kPenText, 10, false, 100).get()))
        << "alignment";
    EXPECT_GT(TextPen::width(pen.text(kPenText + "。", 10, false, 0)), w) << "text";
    // And asked again, the first one still measures what it did.
    EXPECT_EQ(TextPen::width(pen.text(kPenText, 10, false, 0)), w);
    EXPECT_EQ(TextPen::height(pen.text(kPenText, 10, false, 0)), h);
}

TEST_F(TextPenTest, a_text_kept_in_one_language_is_laid_out_in_the_other_in_its_own_context) {
    auto ja = TextPen(cr_, Lang::Ja).text(kPenText, 10, false, 0);
    auto en = TextPen(cr_, Lang::En).text(kPenText, 10, false, 0);
    EXPECT_NE(ja.get(), en.get());
    auto is = [](const Layout& l, const char* code) {
        return pango_language_matches(pango_context_get_language(pango_layout_get_context(l.get())), code) != 0;
    };
    EXPECT_TRUE(is(ja, "ja") && !is(ja, "en"));
    EXPECT_TRUE(is(en, "en") && !is(en, "ja"));
}
