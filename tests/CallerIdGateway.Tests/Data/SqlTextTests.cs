using CallerIdGateway.Data;

namespace CallerIdGateway.Tests.Data;

public class SqlTextTests
{
    [Fact]
    public void A_multi_row_insert_has_one_placeholder_per_value_in_rows_of_the_given_width()
    {
        Assert.Equal(
            "INSERT INTO t (a, b) VALUES ({0}, {1}), ({2}, {3}), ({4}, {5})",
            SqlText.MultiRowInsert("t", "a, b", 6, 2, "{", "}").ToString());
        Assert.Equal(
            "INSERT INTO t (a, b, c) VALUES (@p0, @p1, @p2)",
            SqlText.MultiRowInsert("t", "a, b, c", 3, 3, "@p").ToString());
    }
}
