using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CallerIdGateway.Data;

/// <summary>The invoicing app's tables as the gateway sees them; shared by both contexts so they can never disagree.</summary>
internal static class InvoicingModel
{
    public const string CustomersTable = "customers";
    public const string InvoicesTable = "invoices";

    public static void Configure(ModelBuilder model, bool isMySql, bool excludeFromMigrations)
    {
        model.Entity<Customer>(customer =>
        {
            customer.ToTable(CustomersTable, t => t.ExcludeFromMigrations(excludeFromMigrations));
            customer.HasKey(c => c.Id);
            customer.Property(c => c.Id).HasColumnName("id");
            customer.Property(c => c.Name).HasColumnName("name").HasMaxLength(200);
            customer.Property(c => c.Email).HasColumnName("email").HasMaxLength(200);
            customer.Property(c => c.CreatedAt).HasColumnName("created_at");
            var numbers = customer.Property(c => c.PhoneNumbers).HasColumnName("phone_numbers");
            if (isMySql)
            {
                numbers.HasColumnType("json");
            }
            customer.HasMany(c => c.Invoices).WithOne().HasForeignKey(i => i.CustomerId);
        });

        model.Entity<Invoice>(invoice =>
        {
            invoice.ToTable(InvoicesTable, t => t.ExcludeFromMigrations(excludeFromMigrations));
            invoice.HasKey(i => i.Id);
            invoice.Property(i => i.Id).HasColumnName("id");
            invoice.Property(i => i.CustomerId).HasColumnName("customer_id");
            invoice.Property(i => i.Number).HasColumnName("number").HasMaxLength(50);
            invoice.Property(i => i.IssuedAt).HasColumnName("issued_at");
            invoice.Property(i => i.TotalAmount).HasColumnName("total_amount").HasPrecision(18, 2);
            invoice.Property(i => i.Status).HasColumnName("status").HasMaxLength(20);
            // The last-invoice probe of a lookup reads this index backwards and stops at the first row.
            invoice.HasIndex(i => new { i.CustomerId, i.IssuedAt }).HasDatabaseName("ix_invoices_customer_issued");
        });
    }
}
