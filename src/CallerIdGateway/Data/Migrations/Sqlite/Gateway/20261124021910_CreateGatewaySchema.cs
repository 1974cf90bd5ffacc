using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CallerIdGateway.Data.Migrations.Sqlite.Gateway
{
    /// <inheritdoc />
    public partial class CreateGatewaySchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "gateway_indexed_customers",
                columns: table => new
                {
                    customer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    phone_numbers = table.Column<string>(type: "TEXT", nullable: false),
                    indexed_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_gateway_indexed_customers", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "gateway_phone_numbers",
                columns: table => new
                {
                    number = table.Column<string>(type: "TEXT", unicode: false, maxLength: 20, nullable: false),
                    customer_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_gateway_phone_numbers", x => new { x.number, x.customer_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_gateway_phone_numbers_customer",
                table: "gateway_phone_numbers",
                column: "customer_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "gateway_indexed_customers");

            migrationBuilder.DropTable(
                name: "gateway_phone_numbers");
        }
    }
}
