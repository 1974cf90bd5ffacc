using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using CallerIdGateway.Hosting;
using CallerIdGateway.PhoneNumbers;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddHosting();
    builder.AddPhoneNumbers();
    builder.AddGatewayData();
    builder.AddCustomers();

    var app = builder.Build();
    app.UseHosting();
    app.MapHosting();
    app.MapCustomers();

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is not HostAbortedException)
{
    // A wrong setting lands here with a message that names its key.
    Log.Fatal(e, "CallerIdGateway could not start: {Message}", e.Message);
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

public partial class Program;
