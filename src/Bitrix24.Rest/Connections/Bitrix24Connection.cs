using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Connections
{
    public enum Bitrix24AuthKind { Webhook, OAuth, Sandbox }

    /// <summary>
    /// One portal plus one credential. The credential (webhook secret, OAuth tokens) lives in private
    /// fields only: nothing public returns it, and <see cref="Redact"/> scrubs it from any text that
    /// might contain it (logs, exception messages, server echoes).
    /// </summary>
    public sealed class Bitrix24Connection : IDisposable
    {
        private readonly Uri _methodBase;          // for a webhook this holds the secret: never expose it
        private readonly string _webhookSecret;
        private string _accessToken;
        private readonly List<string> _secrets = new List<string>();
        private readonly object _clientLock = new object();
        private Bitrix24Client _client;

        private Bitrix24Connection(Bitrix24AuthKind kind, Uri portalRoot, Uri methodBase, int? userId,
                                   string webhookSecret, string accessToken, HttpMessageHandler handler)
        {
            AuthKind = kind;
            PortalUri = portalRoot;
            _methodBase = methodBase;
            UserId = userId;
            _webhookSecret = webhookSecret;
            _accessToken = accessToken;
            Handler = handler;
            AddSecret(webhookSecret);
            AddSecret(accessToken);
            _rateKey = ComputeRateKey(webhookSecret ?? accessToken ?? "");
        }

        // ---- OAuth tokens ---------------------------------------------------------------------------

        /// <summary>The documented token endpoint (settings/oauth): where a refresh token buys a new access token.</summary>
        public static readonly Uri DefaultOAuthServer = new Uri("https://oauth.bitrix.info/oauth/token/");
        private readonly object _tokenLock = new object();
        private string _refreshToken;
        private string _clientSecret;

        /// <summary>The OAuth application's client id (not secret).</summary>
        public string ClientId { get; private set; }
        public Uri OAuthServer { get; private set; } = DefaultOAuthServer;
        /// <summary>When the access token expires, when known (from the last refresh).</summary>
        public DateTimeOffset? AccessTokenExpiresAt { get; private set; }
        public DateTimeOffset? TokensRefreshedAt { get; private set; }
        public int TokenRefreshCount { get; private set; }
        /// <summary>True when an expired access token can be renewed (refresh token, client id and secret known).</summary>
        public bool CanRefreshToken { get { lock (_tokenLock) return _refreshToken != null && ClientId != null && _clientSecret != null; } }

        /// <summary>Raised after a refresh with the new tokens, so a script can store the new refresh token
        /// (the old one stops working).</summary>
        public event EventHandler<TokensRefreshedEventArgs> TokensRefreshed;

        /// <summary>Lets this OAuth connection renew its access token when the portal says it expired.</summary>
        public void EnableTokenRefresh(string refreshToken, string clientId, string clientSecret, Uri oauthServer = null)
        {
            if (AuthKind != Bitrix24AuthKind.OAuth) throw new Bitrix24ConfigurationException("Token refresh applies to OAuth connections only.");
            if (string.IsNullOrWhiteSpace(refreshToken) || string.IsNullOrWhiteSpace(clientId) || string.IsNullOrWhiteSpace(clientSecret))
                throw new Bitrix24ConfigurationException("Renewing the access token needs the refresh token, the client id and the client secret together.");
            var server = oauthServer ?? DefaultOAuthServer;
            EndpointRules.RequireSecureScheme(server);
            AddSecret(refreshToken);
            AddSecret(clientSecret);
            lock (_tokenLock)
            {
                _refreshToken = refreshToken;
                _clientSecret = clientSecret;
                ClientId = clientId;
                OAuthServer = server;
            }
        }

        internal string AccessToken { get { lock (_tokenLock) return _accessToken; } }

        /// <summary>The refresh request's address (holds secrets: never log it).</summary>
        internal Uri RefreshUri()
        {
            lock (_tokenLock)
            {
                var query = "grant_type=refresh_token&client_id=" + Uri.EscapeDataString(ClientId) +
                            "&client_secret=" + Uri.EscapeDataString(_clientSecret) +
                            "&refresh_token=" + Uri.EscapeDataString(_refreshToken);
                return new UriBuilder(OAuthServer) { Query = query }.Uri;
            }
        }

        internal void ApplyTokens(string accessToken, string refreshToken, int expiresInSeconds)
        {
            AddSecret(accessToken);
            AddSecret(refreshToken);
            lock (_tokenLock)
            {
                _accessToken = accessToken;
                if (!string.IsNullOrEmpty(refreshToken)) _refreshToken = refreshToken;
                TokensRefreshedAt = DateTimeOffset.Now;
                AccessTokenExpiresAt = expiresInSeconds > 0 ? DateTimeOffset.Now.AddSeconds(expiresInSeconds) : (DateTimeOffset?)null;
                TokenRefreshCount++;
            }
            var refreshed = new TokensRefreshedEventArgs(ToSecure(accessToken), ToSecure(refreshToken), AccessTokenExpiresAt);
            if (DeferTokenEvents) _pendingTokenEvents.Enqueue(refreshed);
            else TokensRefreshed?.Invoke(this, refreshed);
        }

        /// <summary>
        /// Raise <see cref="TokensRefreshed"/> only from <see cref="RaisePendingEvents"/>, not on the thread
        /// that renewed the token: PowerShell runs a script block handler only on a thread with a runspace,
        /// so its cmdlets raise the event on their pipeline thread.
        /// </summary>
        internal bool DeferTokenEvents { get; set; }

        private readonly System.Collections.Concurrent.ConcurrentQueue<TokensRefreshedEventArgs> _pendingTokenEvents =
            new System.Collections.Concurrent.ConcurrentQueue<TokensRefreshedEventArgs>();

        /// <summary>Raises the events deferred so far, on the calling thread.</summary>
        internal void RaisePendingEvents()
        {
            while (_pendingTokenEvents.TryDequeue(out var refreshed)) TokensRefreshed?.Invoke(this, refreshed);
        }

        /// <summary>The current refresh token, to store it for the next run (it changes at every refresh).</summary>
        public System.Security.SecureString GetRefreshToken()
        {
            lock (_tokenLock) return _refreshToken == null ? null : ToSecure(_refreshToken);
        }

        private static System.Security.SecureString ToSecure(string text)
        {
            if (text == null) return null;
            var secure = new System.Security.SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        public Guid ConnectionId { get; } = Guid.NewGuid();
        public Bitrix24AuthKind AuthKind { get; }
        /// <summary>The portal's root address (scheme, host, port): safe to show.</summary>
        public Uri PortalUri { get; }
        public string Portal => PortalUri.IsDefaultPort ? PortalUri.Host : PortalUri.Host + ":" + PortalUri.Port;
        /// <summary>The user the webhook acts as (webhooks only).</summary>
        public int? UserId { get; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The portal's leaky-bucket drain rate (requests per second): 2 on most plans, 5 on Enterprise.
        /// Setting it (or <see cref="Burst"/>) tells the module the portal's limits: the pace starts there and
        /// never goes above. Untold, the pace starts at 2/s, burst 50, and follows what the portal accepts.</summary>
        public double RateLimit
        {
            get => _rateLimit;
            set { _rateLimit = value; LimitsTold = true; }
        }

        /// <summary>The portal's bucket size: 50 on most plans, 250 on Enterprise.</summary>
        public int Burst
        {
            get => _burst;
            set { _burst = value; LimitsTold = true; }
        }

        private double _rateLimit = 2;
        private int _burst = 50;

        /// <summary>True when <see cref="RateLimit"/> or <see cref="Burst"/> was set: a ceiling, not a guess.</summary>
        public bool LimitsTold { get; private set; }

        /// <summary>The pace in force for this portal and credential (shared by the whole process), and why.</summary>
        public string Pace => Bucket.Describe();

        /// <summary>The shared bucket this connection's requests go through, on this connection's clock.</summary>
        internal Pacing.LeakyBucket Bucket => Pacing.LeakyBucket.For(RateKey, RateLimit, Burst, LimitsTold, Clock);

        /// <summary>The time source of this connection's pacing and waits; tests hand in a virtual one.</summary>
        internal Pacing.IClock Clock { get; set; } = Pacing.SystemClock.Instance;
        /// <summary>Seconds of execution a method may use per ten minutes (cloud: 480).</summary>
        public double OperatingLimitSeconds { get; set; } = 480;
        /// <summary>Which methods the CRM cmdlets use: crm.lead.*, crm.deal.* … (default) or crm.item.* by entityTypeId.</summary>
        public Crm.CrmApi Api { get; set; } = Crm.CrmApi.Classic;
        /// <summary>Attempts per call when the portal fails in a way that may pass (5xx, dropped connection, timeout).</summary>
        public int MaxAttempts { get; set; } = 6;

        /// <summary>Per-connection cache (the portal's field schema and directories).</summary>
        internal System.Collections.Concurrent.ConcurrentDictionary<string, object> Cache { get; } =
            new System.Collections.Concurrent.ConcurrentDictionary<string, object>(StringComparer.Ordinal);

        /// <summary>Identifies portal + credential for the shared bucket without revealing the credential.
        /// Fixed at creation, so a refreshed OAuth token keeps the same bucket.</summary>
        internal string RateKey => _rateKey;
        private readonly string _rateKey;

        private string ComputeRateKey(string credential)
        {
            using (var sha = System.Security.Cryptography.SHA256.Create())
            {
                var digest = sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(credential));
                return Portal + "|" + UserId + "|" + BitConverter.ToString(digest, 0, 8);
            }
        }

        private Pacing.OperatingBudget _budget;
        /// <summary>The operating-time budget of this connection's credential.</summary>
        internal Pacing.OperatingBudget Budget
        {
            get
            {
                var budget = Volatile.Read(ref _budget);
                if (budget != null) return budget;
                lock (_clientLock) return _budget ?? (_budget = new Pacing.OperatingBudget(OperatingLimitSeconds, Clock));
            }
        }
        public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.Now;
        internal HttpMessageHandler Handler { get; }

        /// <summary>The HTTP client of this connection: one per connection, made on first use.</summary>
        internal Bitrix24Client Client
        {
            get
            {
                // Read on every call from many threads: lock only to create it.
                var client = Volatile.Read(ref _client);
                if (client != null) return client;
                lock (_clientLock)
                {
                    if (_closed) throw ClosedError();
                    return _client ?? (_client = new Bitrix24Client(this));
                }
            }
        }

        /// <summary>
        /// Parses an inbound webhook address <c>https://portal/rest/&lt;user id&gt;/&lt;secret&gt;/</c>
        /// (a trailing method name, as copied from the portal's example, is dropped).
        /// </summary>
        public static Bitrix24Connection FromWebhook(string webhookUrl, HttpMessageHandler handler = null)
        {
            const string shape = "expected https://<portal>/rest/<user id>/<secret>/ as shown by the portal's inbound webhook page";
            if (string.IsNullOrWhiteSpace(webhookUrl))
                throw new Bitrix24ConfigurationException("The webhook URL is empty; " + shape + ".");
            if (!Uri.TryCreate(webhookUrl.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
                throw new Bitrix24ConfigurationException("The webhook URL is not a valid absolute address; " + shape + ".");
            EndpointRules.RequireSecureScheme(uri);

            var segments = uri.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            var restAt = Array.FindIndex(segments, s => s.Equals("rest", StringComparison.OrdinalIgnoreCase));
            if (restAt < 0 || segments.Length < restAt + 3
                || !int.TryParse(segments[restAt + 1], out var userId) || userId <= 0
                || segments.Length > restAt + 4)
                throw new Bitrix24ConfigurationException($"The webhook URL for portal '{uri.Host}' does not have the webhook shape; " + shape + ".");
            var secret = Uri.UnescapeDataString(segments[restAt + 2]);
            if (secret.Length == 0)
                throw new Bitrix24ConfigurationException($"The webhook URL for portal '{uri.Host}' has an empty secret; " + shape + ".");

            var root = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
            var prefix = string.Join("/", segments, 0, restAt + 3);
            var methodBase = new Uri(root, prefix + "/");
            return new Bitrix24Connection(Bitrix24AuthKind.Webhook, root, methodBase, userId, secret, null, handler);
        }

        /// <summary>An OAuth application's connection: <c>https://portal/rest/&lt;method&gt;</c> with an
        /// <c>auth</c> parameter holding the access token.</summary>
        public static Bitrix24Connection FromOAuth(string portal, string accessToken, HttpMessageHandler handler = null)
        {
            if (string.IsNullOrWhiteSpace(portal))
                throw new Bitrix24ConfigurationException("The portal is empty; give its address, e.g. https://acme.bitrix24.com.");
            if (string.IsNullOrWhiteSpace(accessToken))
                throw new Bitrix24ConfigurationException("The access token is empty.");
            var text = portal.Trim();
            if (!text.Contains("://")) text = "https://" + text;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
                throw new Bitrix24ConfigurationException($"'{portal}' is not a portal address; give e.g. https://acme.bitrix24.com.");
            EndpointRules.RequireSecureScheme(uri);
            var root = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
            return new Bitrix24Connection(Bitrix24AuthKind.OAuth, root, new Uri(root, "rest/"), null, null, accessToken.Trim(), handler);
        }

        /// <summary>A connection to an in-process portal reached through <paramref name="handler"/>.</summary>
        public static Bitrix24Connection ForSandbox(Uri webhookAddress, HttpMessageHandler handler)
        {
            var inner = FromWebhook(webhookAddress.ToString(), handler);
            return new Bitrix24Connection(Bitrix24AuthKind.Sandbox, inner.PortalUri, inner._methodBase, inner.UserId,
                                          inner._webhookSecret, null, handler);
        }

        /// <summary>Registers one more value that must never be shown (e.g. a refresh token or client secret).</summary>
        public void AddSecret(string secret)
        {
            if (string.IsNullOrEmpty(secret)) return;
            lock (_secrets)
            {
                if (_secrets.Contains(secret)) return;
                _secrets.Add(secret);
                var escaped = Uri.EscapeDataString(secret);
                if (escaped != secret) _secrets.Add(escaped);
            }
        }

        /// <summary>Replaces every secret of this connection in <paramref name="text"/> with ***.</summary>
        public string Redact(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            lock (_secrets)
                foreach (var secret in _secrets)
                    text = text.Replace(secret, "***");
            return text;
        }

        internal Uri MethodUri(string method) => new Uri(_methodBase, Uri.EscapeDataString(method));

        /// <summary>Adds what the portal needs to authenticate a call to its parameters.</summary>
        internal void Authenticate(JObject parameters)
        {
            if (AuthKind == Bitrix24AuthKind.OAuth) parameters["auth"] = AccessToken;
        }

        public override string ToString()
        {
            switch (AuthKind)
            {
                case Bitrix24AuthKind.Webhook: return $"{Portal} (webhook, user {UserId})";
                case Bitrix24AuthKind.Sandbox: return $"{Portal} (sandbox)";
                default: return $"{Portal} (OAuth)";
            }
        }

        /// <summary>True once disposed: a closed connection makes no new requests.</summary>
        public bool IsClosed { get { lock (_clientLock) return _closed; } }

        private bool _closed;

        /// <summary>What using a closed connection says.</summary>
        public ObjectDisposedException ClosedError() => new ObjectDisposedException(null,
            $"The connection to {this} is closed (Disconnect-Bitrix24, or a later Connect-Bitrix24 replaced it). Run Connect-Bitrix24 again.");

        /// <summary>Whether the user holds this connection (Connect-Bitrix24 -PassThru, Get-Bitrix24Connection):
        /// a session that replaces it then leaves it open.</summary>
        internal bool HeldByUser { get; set; }

        public void Dispose()
        {
            lock (_clientLock) { _closed = true; _client?.Dispose(); _client = null; }
        }
    }

    /// <summary>The tokens a refresh returned (as SecureStrings: they are credentials).</summary>
    public sealed class TokensRefreshedEventArgs : EventArgs
    {
        public TokensRefreshedEventArgs(System.Security.SecureString accessToken, System.Security.SecureString refreshToken, DateTimeOffset? expiresAt)
        {
            AccessToken = accessToken;
            RefreshToken = refreshToken;
            ExpiresAt = expiresAt;
        }

        public System.Security.SecureString AccessToken { get; }
        public System.Security.SecureString RefreshToken { get; }
        public DateTimeOffset? ExpiresAt { get; }
    }
}
