using CallerIdGateway.Auth;
using CallerIdGateway.CallControl;
using CallerIdGateway.Calls;
using CallerIdGateway.Customers;
using CallerIdGateway.Dashboard;
using CallerIdGateway.Data;
using CallerIdGateway.Diagnostics;
using CallerIdGateway.Dialplan;
using CallerIdGateway.Hosting;
using CallerIdGateway.Phone;
using CallerIdGateway.PhoneNumbers;
using CallerIdGateway.Scaling;
using CallerIdGateway.Sources;

if (PasswordHashCommand.TryRun(args) is { } exitCode)
{
    return exitCode;
}
if (HelpCommand.TryRun(args))
{
    return 0;
}
var doctor = DoctorCommand.Parse(args);

var builder = WebApplication.CreateBuilder(GatewayHostOptions.For(doctor?.HostArguments ?? args));
builder.AddHosting();
builder.AddGatewayAuth();
builder.AddPhoneNumbers();
builder.AddGatewayData();
builder.AddCustomers();
builder.AddCalls();
builder.AddAsteriskSources();
builder.AddCallControl();
builder.AddDialplan();
builder.AddPhone();
builder.AddDashboard();
builder.AddDiagnostics();
builder.AddScaling();

var app = builder.Build();
if (doctor is not null)
{
    return await doctor.RunAsync(app.Services, Console.Out); // the same services and settings, without starting them
}
app.UseHosting();
app.UseGatewayAuth();
app.UseDashboard();
app.MapHosting();
app.MapAuth();
app.MapCustomers();
app.MapCalls();
app.MapCallControl();
app.MapDialplan();
app.MapPhone();
app.MapDiagnostics();
app.MapDashboard();

try
{
    app.Run();
    return 0;
}
catch (Exception e)
{
    // One plain line that names the setting to fix, and exit code 1, instead of an unhandled-exception dump
    // (the host's stack trace is logged only at Debug: StartupFailure).
    Console.Error.WriteLine($"CallerIdGateway stopped: {StartupFailure.Describe(e, builder.Configuration)}");
    return 1;
}

public partial class Program;
