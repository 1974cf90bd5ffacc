using CallerIdGateway.Calls;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using CallerIdGateway.Hosting;
using CallerIdGateway.PhoneNumbers;
using CallerIdGateway.Sources;

var builder = WebApplication.CreateBuilder(args);
builder.AddHosting();
builder.AddPhoneNumbers();
builder.AddGatewayData();
builder.AddCustomers();
builder.AddCalls();
builder.AddAsteriskSources();

var app = builder.Build();
app.UseHosting();
app.MapHosting();
app.MapCustomers();

app.Run();

public partial class Program;
