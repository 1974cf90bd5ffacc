using CallerIdGateway.Dashboard;
using FluentValidation;

namespace CallerIdGateway.Customers;

public static class CustomersExtensions
{
    public static IHostApplicationBuilder AddCustomers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<CustomerLinks>();
        builder.Services.AddSingleton<CallerResolver>();
        builder.Services.AddValidatorsFromAssemblyContaining<PhoneNumberQueryValidator>(ServiceLifetime.Singleton);
        return builder;
    }
}
