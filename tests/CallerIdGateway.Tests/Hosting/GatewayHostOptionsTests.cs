using CallerIdGateway.Hosting;

namespace CallerIdGateway.Tests.Hosting;

public class GatewayHostOptionsTests
{
    [Fact]
    public void The_content_root_is_the_programs_folder_not_the_working_directory() =>
        Assert.Equal(AppContext.BaseDirectory, GatewayHostOptions.For([]).ContentRootPath);

    [Theory]
    [InlineData("--contentRoot=/srv/gateway")]
    [InlineData("--contentRoot", "/srv/gateway")]
    public void A_content_root_given_on_the_command_line_is_left_to_the_host(params string[] args)
    {
        var options = GatewayHostOptions.For(args);

        Assert.Null(options.ContentRootPath);
        Assert.Equal(args, options.Args);
    }
}
