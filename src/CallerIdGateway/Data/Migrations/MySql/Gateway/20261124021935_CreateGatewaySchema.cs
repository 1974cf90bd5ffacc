using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CallerIdGateway.Data.Migrations.MySql.Gateway
{
    /// <inheritdoc />
    public partial class CreateGatewaySchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // No AlterDatabase here: in Attach mode the database belongs to the invoicing app,
            // and the gateway only adds tables of its own (each with its own character set).

            migrationBuilder.CreateTable(
                name: "gateway_indexed_customers",
                columns: table => new
                {
                    customer_id = table.Column<long>(type: "bigint", nullable: false),
                    phone_numbers = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    indexed_at = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_gateway_indexed_customers", x => x.customer_id);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "gateway_phone_numbers",
                columns: table => new
                {
                    number = table.Column<string>(type: "varchar(20)", unicode: false, maxLength: 20, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    customer_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_gateway_phone_numbers", x => new { x.number, x.customer_id });
                })
                .Annotation("MySql:CharSet", "utf8mb4");

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
