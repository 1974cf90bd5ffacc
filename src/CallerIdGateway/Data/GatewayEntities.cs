namespace CallerIdGateway.Data;

/// <summary>
/// One normalized number of one customer: the index that makes a lookup a single key probe
/// instead of a scan of <c>customers.phone_numbers</c>. Several customers may share a number.
/// </summary>
public sealed class IndexedPhoneNumber
{
    public required string Number { get; set; }

    public long CustomerId { get; set; }
}

/// <summary>
/// The <c>phone_numbers</c> text of a customer as it was when indexed. Comparing it with the live
/// column finds the customers whose numbers changed since, whoever changed them.
/// </summary>
public sealed class IndexedCustomer
{
    public long CustomerId { get; set; }

    public required string PhoneNumbers { get; set; }

    public DateTime IndexedAt { get; set; }
}

/// <summary>A value the gateway keeps about its own tables, e.g. the number rules the index was built with.</summary>
public sealed class GatewaySetting
{
    public required string Name { get; set; }

    public required string Value { get; set; }
}
