namespace CallerIdGateway.PhoneNumbers;

public static class PhoneNumbersExtensions
{
    public static IHostApplicationBuilder AddPhoneNumbers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PhoneNumberOptions>()
            .BindConfiguration(PhoneNumberOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => PhoneNumberNormalizer.IsSupportedRegion(o.DefaultRegion), "PhoneNumbers:DefaultRegion is not a region libphonenumber knows.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PhoneNumberNormalizer>();
        return builder;
    }
}
