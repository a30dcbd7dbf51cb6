using System;

namespace Bitrix24.Rest.Connections
{
    /// <summary>
    /// An OAuth connection's tokens and what renewing them needs (settings/oauth: a refresh token, the application's
    /// client id and secret, the token endpoint). One lock: a renewal replaces the access and refresh tokens together.
    /// </summary>
    internal sealed class OAuthTokens
    {
        private readonly object _gate = new object();
        private string _accessToken;
        private string _refreshToken;
        private string _clientSecret;

        public OAuthTokens(string accessToken) => _accessToken = accessToken;

        public string AccessToken { get { lock (_gate) return _accessToken; } }
        public string RefreshToken { get { lock (_gate) return _refreshToken; } }
        public string ClientId { get; private set; }
        public Uri Server { get; private set; } = Bitrix24Connection.DefaultOAuthServer;
        public DateTimeOffset? AccessTokenExpiresAt { get; private set; }
        public DateTimeOffset? RefreshedAt { get; private set; }
        public int RefreshCount { get; private set; }

        public bool CanRefresh { get { lock (_gate) return _refreshToken != null && ClientId != null && _clientSecret != null; } }

        public void EnableRefresh(string refreshToken, string clientId, string clientSecret, Uri server)
        {
            lock (_gate)
            {
                _refreshToken = refreshToken;
                _clientSecret = clientSecret;
                ClientId = clientId;
                Server = server;
            }
        }

        /// <summary>The refresh request's address (it holds secrets: never log it).</summary>
        public Uri RefreshUri()
        {
            lock (_gate)
            {
                var query = "grant_type=refresh_token&client_id=" + Uri.EscapeDataString(ClientId) +
                            "&client_secret=" + Uri.EscapeDataString(_clientSecret) +
                            "&refresh_token=" + Uri.EscapeDataString(_refreshToken);
                return new UriBuilder(Server) { Query = query }.Uri;
            }
        }

        /// <summary>Takes what a renewal returned; the refresh token is kept when none came back.</summary>
        public void Apply(string accessToken, string refreshToken, int expiresInSeconds)
        {
            lock (_gate)
            {
                _accessToken = accessToken;
                if (!string.IsNullOrEmpty(refreshToken)) _refreshToken = refreshToken;
                RefreshedAt = DateTimeOffset.Now;
                AccessTokenExpiresAt = expiresInSeconds > 0 ? DateTimeOffset.Now.AddSeconds(expiresInSeconds) : (DateTimeOffset?)null;
                RefreshCount++;
            }
        }
    }
}
