# syntax=docker/dockerfile:1
# The caller-ID gateway as a container: docker compose build (see docker-compose.yml), or
#   docker build -t callerid-gateway . && docker run -p 5000:5000 -v gateway-data:/data callerid-gateway

# ---- build: the .NET SDK plus Node.js/npm, which the project's build runs (`npm ci`) for the dashboard's browser library
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore in a layer of its own: it is rebuilt only when a project file or a package version changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/CallerIdGateway.Asterisk/CallerIdGateway.Asterisk.csproj src/CallerIdGateway.Asterisk/
COPY src/CallerIdGateway/CallerIdGateway.csproj src/CallerIdGateway/
RUN dotnet restore src/CallerIdGateway/CallerIdGateway.csproj
COPY src/ src/
RUN dotnet publish src/CallerIdGateway/CallerIdGateway.csproj --no-restore -c Release -o /app -p:UseAppHost=false

# ---- runtime: ASP.NET Core only, as the image's unprivileged "app" user
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# /data: the SQLite file when no MySQL is configured, and the call log's journal. DataProtection-Keys: what signs the dashboard's
# session cookies. Created here so that volumes mounted on them start out owned by "app".
RUN mkdir -p /data /home/app/.aspnet/DataProtection-Keys \
 && chown -R app:app /data /home/app/.aspnet
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=5000 \
    ConnectionStrings__Gateway="Data Source=/data/callerid-gateway.db" \
    Gateway__CallLogJournal=/data/callerid-gateway.calls.jsonl
# 5000: HTTP API, dashboard and dialplan hooks; 4573: FastAGI (when Dialplan__FastAgi__Enabled=true)
EXPOSE 5000 4573
VOLUME ["/data"]
USER app
# The image has neither curl nor wget, and adding them only for this grows the attack surface; bash's
# /dev/tcp speaks the one HTTP/1.0 request needed. Chiseled images (no shell) would need a probe binary instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ASPNETCORE_HTTP_PORTS%%[,;]*} && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "CallerIdGateway.dll"]
