using System.Data.Common;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace CallerIdGateway.IntegrationTests.Customers;

/// <summary>
/// Another application (the invoicing app) writes customers.phone_numbers directly; the gateway must
/// follow within its sync interval, without a restart.
/// </summary>
public abstract class PhoneIndexSyncTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : GatewayFixture
{
    // Generous against a loaded CI machine; the interval under test is one second (see the fixtures).
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_customer_added_by_another_application_becomes_findable()
    {
        Assert.Null(await fixture.App.LookupAsync(fixture.Client, "09121110001"));

        await ExecuteAsync("INSERT INTO customers (name, phone_numbers, created_at) VALUES ('مشتری تازه', '[\"0912 111 0001\"]', '2026-01-01 00:00:00')");

        var found = await EventuallyAsync(() => fixture.App.LookupAsync(fixture.Client, "+989121110001"), r => r?.Customer?.Name == "مشتری تازه");
        Assert.Equal("0912 111 0001", found!.Customer!.MatchedNumber);
    }

    [Fact]
    public async Task A_number_added_and_a_number_removed_by_another_application_are_followed()
    {
        await ExecuteAsync("INSERT INTO customers (name, phone_numbers, created_at) VALUES ('Moving Co', '[\"09121110002\"]', '2026-01-01 00:00:00')");
        await EventuallyAsync(() => fixture.App.LookupAsync(fixture.Client, "09121110002"), r => r is not null);

        await ExecuteAsync("UPDATE customers SET phone_numbers = '[\"09121110003\"]' WHERE name = 'Moving Co'");

        await EventuallyAsync(() => fixture.App.LookupAsync(fixture.Client, "09121110003"), r => r?.Customer?.Name == "Moving Co");
        await EventuallyAsync(() => fixture.App.LookupAsync(fixture.Client, "09121110002"), r => r is null);
    }

    [Fact]
    public async Task A_customer_deleted_by_another_application_stops_matching()
    {
        await ExecuteAsync("INSERT INTO customers (name, phone_numbers, created_at) VALUES ('Gone Ltd', '[\"09121110004\"]', '2026-01-01 00:00:00')");
        await EventuallyAsync(() => fixture.App.LookupAsync(fixture.Client, "09121110004"), r => r is not null);

        await ExecuteAsync("DELETE FROM customers WHERE name = 'Gone Ltd'");

        await EventuallyAsync(() => fixture.App.LookupAsync(fixture.Client, "09121110004"), r => r is null);
        var indexed = await fixture.App.WithDbAsync(db => Task.FromResult(db.PhoneNumberIndex.Count(p => p.Number == "+989121110004")));
        Assert.Equal(0, indexed);
    }

    [Fact]
    public async Task Entries_that_are_not_numbers_or_not_json_are_ignored_without_stopping_the_sync()
    {
        await ExecuteAsync("INSERT INTO customers (name, phone_numbers, created_at) VALUES ('Messy Data', '[\"call reception\", \"\", null, 9121110005]', '2026-01-01 00:00:00')");
        await ExecuteAsync("INSERT INTO customers (name, phone_numbers, created_at) VALUES ('After Messy', '[\"09121110006\"]', '2026-01-01 00:00:00')");

        var messy = await EventuallyAsync(() => fixture.App.LookupAsync(fixture.Client, "09121110005"), r => r is not null);
        Assert.Equal("Messy Data", messy!.Customer!.Name);
        await EventuallyAsync(() => fixture.App.LookupAsync(fixture.Client, "09121110006"), r => r?.Customer?.Name == "After Messy");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using DbConnection connection = fixture.Provider == "MySql"
            ? new MySqlConnection(fixture.App.ConnectionString)
            : new SqliteConnection(fixture.App.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {Bound}");
            await Task.Delay(100);
        }
    }
}

public sealed class FastSyncMySqlFixture : MySqlGatewayFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Database:PhoneIndexSyncInterval"] = "00:00:01" };
}

public sealed class FastSyncSqliteFixture : SqliteGatewayFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Database:PhoneIndexSyncInterval"] = "00:00:01" };
}

public sealed class PhoneIndexSyncOnMySqlTests(FastSyncMySqlFixture fixture) : PhoneIndexSyncTests<FastSyncMySqlFixture>(fixture);

public sealed class PhoneIndexSyncOnSqliteTests(FastSyncSqliteFixture fixture) : PhoneIndexSyncTests<FastSyncSqliteFixture>(fixture);
