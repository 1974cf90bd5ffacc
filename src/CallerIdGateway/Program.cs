using CallerIdGateway.Auth;
using CallerIdGateway.Calls;
using CallerIdGateway.Customers;
using CallerIdGateway.Dashboard;
using CallerIdGateway.Data;
using CallerIdGateway.Dialplan;
using CallerIdGateway.Hosting;
using CallerIdGateway.Phone;
using CallerIdGateway.PhoneNumbers;
using CallerIdGateway.Sources;

if (PasswordHashCommand.TryRun(args))
{
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddHosting();
builder.AddGatewayAuth();
builder.AddPhoneNumbers();
builder.AddGatewayData();
builder.AddCustomers();
builder.AddCalls();
builder.AddAsteriskSources();
builder.AddDialplan();
builder.AddPhone();

var app = builder.Build();
app.UseHosting();
app.UseGatewayAuth();
app.MapHosting();
app.MapAuth();
app.MapCustomers();
app.MapCalls();
app.MapDialplan();
app.MapPhone();
app.MapDashboard();

try
{
    app.Run();
    return 0;
}
catch (Exception e)
{
    // The host has logged the details; end with one plain line (a wrong setting names its key) and exit code 1
    // instead of an unhandled-exception dump.
    Console.Error.WriteLine($"CallerIdGateway stopped: {e.Message}");
    return 1;
}

public partial class Program;
