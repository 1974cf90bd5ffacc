namespace CallerIdGateway.IntegrationTests.TestAsterisk;

/// <summary>One <c>GET /ari/events</c> as the test ARI server saw it, refused ones included.</summary>
/// <param name="Application">The <c>app</c> query value.</param>
/// <param name="SubscribeAll">Whether <c>subscribeAll=true</c> was asked for.</param>
/// <param name="Authorized">False when the server answered 401.</param>
/// <param name="Timestamp">Stopwatch timestamp of the request.</param>
public sealed record TestAriUpgrade(string? Application, bool SubscribeAll, bool Authorized, long Timestamp);

/// <summary>A <c>DELETE /ari/channels/{id}</c> the server answered.</summary>
public sealed record TestAriHangup(string ChannelId, string? Reason);

/// <summary>A <c>POST /ari/channels</c> (originate): its query and its JSON body, verbatim.</summary>
public sealed record TestAriOrigination(IReadOnlyDictionary<string, string> Query, string Body);

/// <summary>A POST or DELETE the test ARI server received: who sent it, and its path and query exactly as sent.</summary>
public sealed record TestAriControlRequest(string? User, string Method, string PathAndQuery, string Body);
