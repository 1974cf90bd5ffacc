using System.ComponentModel.DataAnnotations;
using CallerIdGateway.Asterisk;

namespace CallerIdGateway.Sources;

/// <summary>Settings of section <c>Asterisk:Ari</c>.</summary>
public sealed class AriSourceOptions
{
    public const string Section = "Asterisk:Ari";

    public bool Enabled { get; set; }

    /// <summary>ARI's base URL, e.g. <c>http://127.0.0.1:8088/ari</c> (http.conf bindaddr/bindport + <c>/ari</c>).</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:8088/ari");

    /// <summary>An ari.conf user.</summary>
    public string Username { get; set; } = "gateway";

    public string Password { get; set; } = "";

    /// <summary>The Stasis application name; one events socket per name, so each gateway instance needs its own.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_.-]+$", ErrorMessage = "Asterisk:Ari:Application must be letters, digits, - _ or .")]
    public string Application { get; set; } = "callerid-gateway";

    public ReconnectOptions Reconnect { get; set; } = new();
}

/// <summary>Settings of section <c>Asterisk:Ami</c>.</summary>
public sealed class AmiSourceOptions
{
    public const string Section = "Asterisk:Ami";

    public bool Enabled { get; set; }

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "Asterisk:Ami:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 5038;

    /// <summary>A manager.conf user with <c>read=call,agent</c> (see asterisk-config/).</summary>
    public string Username { get; set; } = "gateway";

    public string Secret { get; set; } = "";

    public ReconnectOptions Reconnect { get; set; } = new();
}
