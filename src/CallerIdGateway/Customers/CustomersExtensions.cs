using FluentValidation;

namespace CallerIdGateway.Customers;

public static class CustomersExtensions
{
    public static IHostApplicationBuilder AddCustomers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        // The number index the resolver reads; built after the migration (DatabaseInitializer), then kept in step.
        builder.Services.AddSingleton<PhoneIndex>();
        builder.Services.AddHostedService<PhoneIndexSyncService>();
        builder.Services.AddSingleton<CustomerLinks>();
        builder.Services.AddSingleton<CallerResolver>();
        builder.Services.AddValidatorsFromAssemblyContaining<PhoneNumberQueryValidator>(ServiceLifetime.Singleton);
        return builder;
    }
}
