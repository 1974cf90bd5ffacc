using CallerIdGateway.Data;
using MySqlConnector;

namespace CallerIdGateway.Tests.Data;

public class MySqlConnectionStringTests
{
    [Theory]
    [InlineData("Server=db;Database=invoicing;User=gateway;Password=x", false)]
    [InlineData("Server=db;Password=ConnectionReset=true", false)] // only a key counts, not text inside a value
    [InlineData("Server=db;ConnectionReset=true", true)]
    [InlineData("Server=db;Connection Reset=True", true)]
    [InlineData("Server=db;connectionreset=false", false)]
    public void Pooled_sessions_are_not_reset_unless_the_connection_string_says_so(string configured, bool reset) =>
        Assert.Equal(reset, new MySqlConnectionStringBuilder(DataExtensions.WithoutSessionReset(configured)).ConnectionReset);
}
