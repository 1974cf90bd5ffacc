using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.PhoneNumbers;
using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.IntegrationTests.Customers;

/// <summary>The number index follows the rules that normalize numbers: built under other rules, it is rebuilt.</summary>
public class PhoneIndexRulesTests
{
    [Theory]
    [InlineData("MySql")]
    [InlineData("Sqlite")]
    public async Task An_index_built_under_other_number_rules_is_rebuilt(string provider)
    {
        var connectionString = provider == "MySql" ? await (await MySqlServer.GetAsync()).CreateDatabaseAsync("gateway") : null;
        var sqliteFile = TestFiles.NewPath("callerid-test", ".db");
        async Task<GatewayApp> AppAsync(Dictionary<string, string?> settings) =>
            provider == "MySql" ? await GatewayApp.OnMySqlAsync(settings, connectionString) : GatewayApp.OnSqlite(settings, sqliteFile);
        long goneId;

        // An Isfahan office ran with the Tehran default: a local number typed without area code went into the index under 021.
        await using (var tehran = await AppAsync(new() { ["Database:PhoneIndexSyncInterval"] = "01:00:00" }))
        {
            var client = tehran.Start();
            goneId = await tehran.WithDbAsync(async db =>
            {
                var gone = new Customer { Name = "Gone", PhoneNumbers = ["09121119999"], CreatedAt = DateTime.UtcNow };
                db.Customers.AddRange(new Customer { Name = "Isfahan Shop", PhoneNumbers = ["32221100"], CreatedAt = DateTime.UtcNow }, gone);
                await db.SaveChangesAsync();
                return gone.Id;
            });
            await tehran.SyncPhoneIndexAsync();
            Assert.Equal("Isfahan Shop", (await tehran.LookupAsync(client, "02132221100"))?.Customer?.Name);

            // The invoicing app deletes a customer after the gateway's last pass; then the gateway stops.
            await tehran.WithDbAsync(db => db.Customers.Where(c => c.Id == goneId).ExecuteDeleteAsync());
        }

        // Started again with the right area code.
        await using var isfahan = await AppAsync(new() { ["PhoneNumbers:DefaultAreaCode"] = "31" });
        var again = isfahan.Start();
        await isfahan.SyncPhoneIndexAsync();

        Assert.Equal("Isfahan Shop", (await isfahan.LookupAsync(again, "03132221100"))?.Customer?.Name);
        Assert.Equal("Isfahan Shop", (await isfahan.LookupAsync(again, "32221100"))?.Customer?.Name);
        Assert.Null(await isfahan.LookupAsync(again, "02132221100"));
        Assert.Equal(0, await isfahan.WithDbAsync(db => db.PhoneNumberIndex.CountAsync(p => p.CustomerId == goneId)));
        var rules = await isfahan.WithDbAsync(db => db.Settings.Where(s => s.Name == PhoneIndex.RulesSetting).Select(s => s.Value).SingleAsync());
        Assert.Equal(isfahan.Get<PhoneNumberNormalizer>().Rules, rules);
        Assert.Contains("area=31", rules);
    }
}
