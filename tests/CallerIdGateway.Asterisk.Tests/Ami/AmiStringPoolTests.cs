using System.Text;
using CallerIdGateway.Asterisk.Ami;

namespace CallerIdGateway.Asterisk.Tests.Ami;

public class AmiStringPoolTests
{
    [Fact]
    public void The_same_short_text_comes_back_as_the_same_string()
    {
        var pool = new AmiStringPool(slots: 16, maxLength: 40);

        var first = pool.Get("call,all"u8);
        var second = pool.Get("call,all"u8);

        Assert.Equal("call,all", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Texts_that_share_a_slot_are_still_told_apart()
    {
        var pool = new AmiStringPool(slots: 1, maxLength: 40);

        Assert.Equal("Ring", pool.Get("Ring"u8));
        Assert.Equal("Ringing", pool.Get("Ringing"u8));
        Assert.Equal("Ring", pool.Get("Ring"u8));
    }

    [Fact]
    public void Long_text_and_invalid_UTF8_are_decoded_as_they_are()
    {
        var pool = new AmiStringPool(slots: 16, maxLength: 8);

        Assert.Equal("PJSIP/provider-00000000", pool.Get(Encoding.UTF8.GetBytes("PJSIP/provider-00000000")));
        Assert.Equal("a\uFFFDb", pool.Get([(byte)'a', 0xFF, (byte)'b']));
        Assert.Equal("", pool.Get([]));
    }
}
