using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallerIdGateway.Hosting;

/// <summary>
/// Writes a health report in the usual ASP.NET Core health-check JSON shape (the one HealthChecks UI
/// reads): <c>status</c>, <c>totalDuration</c> and per entry <c>status</c>, <c>description</c>,
/// <c>data</c>, <c>duration</c>, <c>tags</c>. The status code stays the middleware's: 200 for
/// Healthy and Degraded, 503 for Unhealthy.
/// </summary>
internal static class HealthResponseWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions
        {
            Indented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "+03:30" and Persian text as they are; never embedded in HTML
        });
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteString("totalDuration", report.TotalDuration.ToString("c", CultureInfo.InvariantCulture));
        json.WriteStartObject("entries");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description ?? entry.Exception?.Message);
            json.WriteString("duration", entry.Duration.ToString("c", CultureInfo.InvariantCulture));
            json.WriteStartObject("data");
            foreach (var (key, value) in entry.Data)
            {
                WriteValue(json, key, value);
            }
            json.WriteEndObject();
            json.WriteStartArray("tags");
            foreach (var tag in entry.Tags)
            {
                json.WriteStringValue(tag);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int or long or double or float or decimal:
                json.WriteNumber(key, Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset at:
                json.WriteString(key, at.ToString("O", CultureInfo.InvariantCulture));
                break;
            case TimeSpan span:
                json.WriteString(key, span.ToString("c", CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
