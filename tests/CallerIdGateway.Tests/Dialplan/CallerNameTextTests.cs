using CallerIdGateway.Contracts;
using CallerIdGateway.Dialplan;

namespace CallerIdGateway.Tests.Dialplan;

public class CallerNameTextTests
{
    private static CustomerCallData Found(string name) => new()
    {
        Lookup = LookupStatus.Found,
        Customer = new CustomerView { Id = 1, Name = name, PhoneNumbers = ["09123456789"] },
    };

    [Fact]
    public void A_found_customer_gives_the_name_as_stored() =>
        Assert.Equal("خلیلی", CallerNameText.For(Found("خلیلی"), CallerNameScript.Original, 40));

    [Fact]
    public void The_latin_script_transliterates() =>
        Assert.Equal("Sherkat Bazargani Novin", CallerNameText.For(Found("شرکت بازرگانی نوین"), CallerNameScript.Latin, 40));

    [Theory]
    [InlineData(LookupStatus.NotFound)]
    [InlineData(LookupStatus.NoNumber)]
    [InlineData(LookupStatus.Unavailable)]
    public void Anything_but_a_find_gives_an_empty_name(LookupStatus status) =>
        Assert.Equal("", CallerNameText.For(new CustomerCallData { Lookup = status }, CallerNameScript.Original, 40));

    [Fact]
    public void No_answer_in_time_gives_an_empty_name() =>
        Assert.Equal("", CallerNameText.For(null, CallerNameScript.Latin, 40));

    [Fact]
    public void Line_breaks_control_characters_and_double_quotes_do_not_reach_the_display() =>
        Assert.Equal("Novin 'Trading' Co.", CallerNameText.For(Found("Novin\r\n\"Trading\"\u0007 Co."), CallerNameScript.Original, 40));

    [Fact]
    public void Long_names_are_cut_at_a_word_friendly_length()
    {
        var name = CallerNameText.For(Found("فروشگاه آفتاب – شعبه مرکزی"), CallerNameScript.Latin, 16);

        Assert.Equal("Forushgah Aftab", name);
    }

    [Fact]
    public void Zero_means_no_cap() =>
        Assert.Equal("Forushgah Aftab - Shobeh Markazi", CallerNameText.For(Found("فروشگاه آفتاب – شعبه مرکزی"), CallerNameScript.Latin, 0));

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var cut = CallerNameText.Cap("ab😀cd", 3);

        Assert.Equal("ab", cut);
    }
}
