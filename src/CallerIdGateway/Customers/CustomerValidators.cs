using CallerIdGateway.PhoneNumbers;
using FluentValidation;

namespace CallerIdGateway.Customers;

public sealed class PhoneNumberQueryValidator : AbstractValidator<PhoneNumberQuery>
{
    public PhoneNumberQueryValidator(PhoneNumberNormalizer normalizer) =>
        RuleFor(q => q.PhoneNumber).MustBePhoneNumber(normalizer);
}

public sealed class ReplacePhoneNumbersRequestValidator : AbstractValidator<ReplacePhoneNumbersRequest>
{
    public const int MaxNumbers = 20;

    public ReplacePhoneNumbersRequestValidator(PhoneNumberNormalizer normalizer)
    {
        RuleFor(r => r.PhoneNumbers)
            .NotNull().WithMessage("phoneNumbers is required (an empty array removes all numbers).")
            .Must(n => n is null || n.Count <= MaxNumbers).WithMessage($"A customer can have at most {MaxNumbers} numbers.");
        RuleForEach(r => r.PhoneNumbers).MustBePhoneNumber(normalizer);
    }
}

internal static class PhoneNumberRules
{
    /// <summary>The value must be a phone number; the error says why not, in the normalizer's words.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> MustBePhoneNumber<T>(this IRuleBuilder<T, string?> rule, PhoneNumberNormalizer normalizer) =>
        rule.Custom((value, context) =>
        {
            var parsed = normalizer.Parse(value);
            if (!parsed.IsNumber)
            {
                context.AddFailure(parsed.Message);
            }
        });
}
