using System;
using System.Collections.Generic;
using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>
    /// The OAuth side of the portal (settings/oauth): access tokens that expire (REST answers 401
    /// expired_token), and the token endpoint <c>/oauth/token/?grant_type=refresh_token&amp;client_id=…&amp;
    /// client_secret=…&amp;refresh_token=…</c>, which answers a new access token and a new refresh token
    /// (the old refresh token stops working).
    /// </summary>
    public sealed class OAuthServer
    {
        private readonly Dictionary<string, DateTime> _accessTokens = new Dictionary<string, DateTime>();
        private readonly HashSet<string> _refreshTokens = new HashSet<string>();
        private readonly Dictionary<string, string> _clients = new Dictionary<string, string>();
        private int _counter;

        /// <summary>How long a new access token lives (the real one: an hour).</summary>
        public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
        /// <summary>Refresh requests answered with new tokens.</summary>
        public int Refreshes { get; private set; }
        /// <summary>Refresh requests refused.</summary>
        public int RefusedRefreshes { get; private set; }

        public void RegisterClient(string clientId, string clientSecret) => _clients[clientId] = clientSecret;

        /// <summary>Issues an access token (living <see cref="AccessTokenLifetime"/>) and a refresh token.</summary>
        public (string AccessToken, string RefreshToken) IssueTokens()
        {
            _counter++;
            var access = "access-" + _counter.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
            var refresh = "refresh-" + _counter.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
            _accessTokens[access] = DateTime.UtcNow + AccessTokenLifetime;
            _refreshTokens.Add(refresh);
            return (access, refresh);
        }

        /// <summary>Makes every access token issued so far expire now.</summary>
        public void ExpireAccessTokens()
        {
            foreach (var token in new List<string>(_accessTokens.Keys)) _accessTokens[token] = DateTime.UtcNow.AddSeconds(-1);
        }

        /// <summary>Null when the token is valid; otherwise the error answer for a REST call.</summary>
        internal PortalError Check(string token)
        {
            if (string.IsNullOrEmpty(token)) return new PortalError(401, "NO_AUTH_FOUND", "Wrong authorization data");
            if (!_accessTokens.TryGetValue(token, out var expires)) return new PortalError(401, "invalid_token", "The access token provided is invalid.");
            if (expires <= DateTime.UtcNow) return new PortalError(401, "expired_token", "The access token provided has expired.");
            return null;
        }

        /// <summary>Serves the token endpoint.</summary>
        internal EmulatorResponse Token(JObject query)
        {
            var grant = (string)query["grant_type"];
            var clientId = (string)query["client_id"] ?? "";
            var clientSecret = (string)query["client_secret"] ?? "";
            var refresh = (string)query["refresh_token"] ?? "";
            string error = null, description = null;
            if (grant != "refresh_token") { error = "unsupported_grant_type"; description = "Only grant_type=refresh_token is supported here."; }
            else if (!_clients.TryGetValue(clientId, out var secret) || secret != clientSecret) { error = "invalid_client"; description = "Invalid client credentials."; }
            else if (!_refreshTokens.Remove(refresh)) { error = "invalid_grant"; description = "Invalid refresh token."; }
            if (error != null)
            {
                RefusedRefreshes++;
                return new EmulatorResponse(400, new JObject { ["error"] = error, ["error_description"] = description }.ToString(Formatting.None));
            }
            Refreshes++;
            var (access, newRefresh) = IssueTokens();
            return new EmulatorResponse(200, new JObject
            {
                ["access_token"] = access,
                ["expires"] = DateTimeOffset.UtcNow.Add(AccessTokenLifetime).ToUnixTimeSeconds(),
                ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
                ["scope"] = "crm",
                ["domain"] = "oauth.bitrix.info",
                ["server_endpoint"] = "https://oauth.bitrix.info/rest/",
                ["status"] = "L",
                ["client_endpoint"] = "https://emulated.bitrix24.invalid/rest/",
                ["member_id"] = "emulated-member",
                ["user_id"] = 1,
                ["refresh_token"] = newRefresh,
            }.ToString(Formatting.None));
        }
    }
}
