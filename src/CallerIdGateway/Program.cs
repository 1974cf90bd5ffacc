using CallerIdGateway.Auth;
using CallerIdGateway.Calls;
using CallerIdGateway.Customers;
using CallerIdGateway.Dashboard;
using CallerIdGateway.Data;
using CallerIdGateway.Dialplan;
using CallerIdGateway.Hosting;
using CallerIdGateway.PhoneNumbers;
using CallerIdGateway.Sources;

if (PasswordHashCommand.TryRun(args))
{
    return;
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

var app = builder.Build();
app.UseHosting();
app.UseGatewayAuth();
app.MapHosting();
app.MapAuth();
app.MapCustomers();
app.MapCalls();
app.MapDialplan();
app.MapDashboard();

app.Run();

public partial class Program;
