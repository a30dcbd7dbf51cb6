using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Connections;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Transport
{
    /// <summary>Renews a connection's OAuth access token with its refresh token, once for all the calls
    /// that failed with the same expired token.</summary>
    internal sealed class TokenRenewal
    {
        private readonly Bitrix24Connection _connection;
        private readonly HttpTransport _transport;

        public TokenRenewal(Bitrix24Connection connection, HttpTransport transport)
        {
            _connection = connection;
            _transport = transport;
        }

        private readonly SemaphoreSlim _refreshGate = new SemaphoreSlim(1, 1);

        /// <summary>
        /// Renews the access token with the refresh token (GET on the OAuth server). Calls that failed with
        /// the same stale token wait for one renewal instead of each making their own.
        /// </summary>
        public async Task RenewAsync(string staleToken, CancellationToken cancellation, Action<string> log)
        {
            await _refreshGate.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                if (!string.Equals(_connection.AccessToken, staleToken, StringComparison.Ordinal)) return;   // renewed meanwhile
                log?.Invoke($"The OAuth access token expired; renewing it at {_connection.OAuthServer.Host}: GET {_connection.OAuthServer.GetLeftPart(UriPartial.Path)} (grant_type=refresh_token; the tokens and client secret are not shown).");
                string text;
                int status;
                try
                {
                    (status, text) = await _transport.GetAsync(_connection.RefreshUri(), cancellation).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException && !cancellation.IsCancellationRequested)
                {
                    throw new Bitrix24Exception("oauth/token", "NETWORK_ERROR",
                        $"The OAuth access token expired and the OAuth server {_connection.OAuthServer.Host} could not be reached to renew it.", 0, _transport.Scrub(ex));
                }

                JObject answer = null;
                try { answer = JsonText.Parse(text) as JObject; } catch (JsonException) { }
                var accessToken = (string)answer?["access_token"];
                if (answer == null || answer["error"] != null || string.IsNullOrEmpty(accessToken))
                {
                    var code = _connection.Redact((string)answer?["error"] ?? "invalid_grant");
                    var description = _connection.Redact((string)answer?["error_description"] ?? $"HTTP {status} without a token");
                    throw new Bitrix24Exception("oauth/token", code,
                        $"The OAuth access token expired and could not be renewed ({description}). Connect again with a valid refresh token.", status == 200 ? 401 : status);
                }
                _connection.ApplyTokens(accessToken, (string)answer["refresh_token"], (int?)answer["expires_in"] ?? 0);
                log?.Invoke($"Renewed the OAuth access token; it expires at {_connection.AccessTokenExpiresAt:u}.");
            }
            finally
            {
                _refreshGate.Release();
            }
        }

    }
}
