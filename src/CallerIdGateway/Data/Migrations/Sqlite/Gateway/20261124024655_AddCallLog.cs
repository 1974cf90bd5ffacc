using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CallerIdGateway.Data.Migrations.Sqlite.Gateway
{
    /// <inheritdoc />
    public partial class AddCallLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "gateway_calls",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    call_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    extension = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    caller_number = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    normalized_number = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    customer_id = table.Column<long>(type: "INTEGER", nullable: true),
                    lookup = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    answered_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ended_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    payload = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_gateway_calls", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_gateway_calls_extension_started",
                table: "gateway_calls",
                columns: new[] { "extension", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_gateway_calls_started",
                table: "gateway_calls",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ux_gateway_calls_call_extension",
                table: "gateway_calls",
                columns: new[] { "call_id", "extension" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "gateway_calls");
        }
    }
}
