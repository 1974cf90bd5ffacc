using System.ComponentModel.DataAnnotations;

namespace CallerIdGateway.PhoneNumbers;

/// <summary>Settings of section <c>PhoneNumbers</c>: how typed and presented numbers are read.</summary>
public sealed class PhoneNumberOptions
{
    public const string Section = "PhoneNumbers";

    /// <summary>ISO 3166 region for numbers without a country code.</summary>
    [Required, RegularExpression("^[A-Z]{2}$", ErrorMessage = "PhoneNumbers:DefaultRegion must be a two-letter region code such as IR.")]
    public string DefaultRegion { get; set; } = "IR";

    /// <summary>Area code (without trunk prefix) for local numbers, e.g. 21 for Tehran: 12345678 → +982112345678.</summary>
    [Required, RegularExpression("^[1-9][0-9]{0,4}$", ErrorMessage = "PhoneNumbers:DefaultAreaCode must be 1 to 5 digits without the leading 0, such as 21.")]
    public string DefaultAreaCode { get; set; } = "21";

    /// <summary>How many digits a local number has (8 in Iran's large cities): such numbers get the default area code.</summary>
    [Range(4, 10, ErrorMessage = "PhoneNumbers:LocalNumberLength must be between 4 and 10.")]
    public int LocalNumberLength { get; set; } = 8;
}
