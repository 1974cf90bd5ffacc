using CallerIdGateway.Dialplan;

namespace CallerIdGateway.Tests.Dialplan;

public class PersianTransliteratorTests
{
    [Theory]
    [InlineData("خلیلی", "Khalili")]
    [InlineData("محمدی", "Mohammadi")]
    [InlineData("شرکت بازرگانی نوین", "Sherkat Bazargani Novin")]
    [InlineData("رضا محمدی", "Reza Mohammadi")]
    [InlineData("فروشگاه آفتاب – شعبه مرکزی", "Forushgah Aftab - Shobeh Markazi")]
    [InlineData("فروشگاه آفتاب – انبار", "Forushgah Aftab - Anbar")]
    [InlineData("زهرا حسینی", "Zahra Hosseini")]
    [InlineData("فاطمه رضایی", "Fatemeh Rezaei")]
    [InlineData("علیرضا حسن‌زاده", "Alireza Hassanzadeh")]
    [InlineData("مهدی علی‌پور", "Mehdi Alipour")]
    [InlineData("احمدیان", "Ahmadian")]
    public void Common_names_come_out_as_Iranians_write_them_in_Latin(string persian, string latin) =>
        Assert.Equal(latin, PersianTransliterator.ToLatin(persian));

    [Theory]
    [InlineData("ژاله", "Zhaleh")]
    [InlineData("کیان", "Kian")]
    [InlineData("سارا", "Sara")]
    [InlineData("بهار", "Bahar")]
    public void Words_outside_the_dictionary_are_read_by_letter_rules(string persian, string latin) =>
        Assert.Equal(latin, PersianTransliterator.ToLatin(persian));

    [Fact]
    public void A_word_that_starts_with_two_consonants_gets_a_guessed_vowel()
    {
        // Persian syllables start with one consonant; سبزی is not in the dictionary.
        Assert.Equal("Sabzi", PersianTransliterator.ToLatin("سبزی"));
    }

    [Fact]
    public void Written_diacritics_are_read_instead_of_guessed() =>
        Assert.Equal("Barakat", PersianTransliterator.ToLatin("بَرَکَت"));

    [Fact]
    public void Arabic_letter_forms_and_persian_digits_are_read_like_persian_ones()
    {
        Assert.Equal("Khalili", PersianTransliterator.ToLatin("خليلي")); // Arabic yeh
        Assert.Equal("Shobeh 2", PersianTransliterator.ToLatin("شعبه ۲"));
    }

    [Theory]
    [InlineData("Sara Ahmadi", "Sara Ahmadi")]
    [InlineData("José Müller", "Jose Muller")]
    [InlineData("  خلیلی\t(تهران)  ", "Khalili (Tehran)")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Latin_text_passes_through_as_ascii_and_spacing_is_tidied(string? input, string expected) =>
        Assert.Equal(expected, PersianTransliterator.ToLatin(input));

    [Theory]
    [InlineData("شرکت بازرگانی نوین")]
    [InlineData("فروشگاه آفتاب – شعبه مرکزی")]
    [InlineData("مؤسسهٔ «آموزشی» پارسیان، تهران؛ ۱۴۰۳")]
    [InlineData("ثبت ذخیره ضمانت طراحی ظروف غذا قهوه عسل ئ ء ة ك ي")]
    [InlineData("中文 😀 Ελληνικά")]
    public void The_output_is_always_printable_ascii(string input)
    {
        var latin = PersianTransliterator.ToLatin(input);

        Assert.All(latin, c => Assert.InRange(c, ' ', '~'));
    }
}
