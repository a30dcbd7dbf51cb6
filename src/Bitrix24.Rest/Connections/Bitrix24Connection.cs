using System;
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
        private readonly PortalAddress _address;   // for a webhook its method base holds the secret: never expose it
        private readonly OAuthTokens _tokens;       // null unless OAuth
        private readonly SecretSet _secrets = new SecretSet();
        private readonly object _clientLock = new object();
        private Bitrix24Client _client;

        private Bitrix24Connection(Bitrix24AuthKind kind, PortalAddress address, string accessToken, HttpMessageHandler handler)
        {
            AuthKind = kind;
            _address = address;
            _tokens = accessToken == null ? null : new OAuthTokens(accessToken);
            Handler = handler;
            AddSecret(address.WebhookSecret);
            AddSecret(accessToken);
            _rateKey = ComputeRateKey(address.WebhookSecret ?? accessToken ?? "");
        }

        // ---- OAuth tokens (OAuthTokens holds them) -------------------------------------------------------

        /// <summary>The documented token endpoint (settings/oauth): where a refresh token buys a new access token.</summary>
        public static readonly Uri DefaultOAuthServer = new Uri("https://oauth.bitrix.info/oauth/token/");

        /// <summary>The OAuth application's client id (not secret).</summary>
        public string ClientId => _tokens?.ClientId;
        public Uri OAuthServer => _tokens?.Server ?? DefaultOAuthServer;
        /// <summary>When the access token expires, when known (from the last refresh).</summary>
        public DateTimeOffset? AccessTokenExpiresAt => _tokens?.AccessTokenExpiresAt;
        public DateTimeOffset? TokensRefreshedAt => _tokens?.RefreshedAt;
        public int TokenRefreshCount => _tokens?.RefreshCount ?? 0;
        /// <summary>True when an expired access token can be renewed (refresh token, client id and secret known).</summary>
        public bool CanRefreshToken => _tokens?.CanRefresh == true;

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
            _tokens.EnableRefresh(refreshToken, clientId, clientSecret, server);
        }

        internal string AccessToken => _tokens?.AccessToken;

        /// <summary>The refresh request's address (holds secrets: never log it).</summary>
        internal Uri RefreshUri() => _tokens.RefreshUri();

        internal void ApplyTokens(string accessToken, string refreshToken, int expiresInSeconds)
        {
            AddSecret(accessToken);
            AddSecret(refreshToken);
            _tokens.Apply(accessToken, refreshToken, expiresInSeconds);
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
        public System.Security.SecureString GetRefreshToken() => ToSecure(_tokens?.RefreshToken);

        private static System.Security.SecureString ToSecure(string text)
        {
            if (text == null) return null;
            var secure = new System.Security.SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        public Bitrix24AuthKind AuthKind { get; }
        /// <summary>The portal's root address (scheme, host, port): safe to show.</summary>
        public Uri PortalUri => _address.Root;
        public string Portal => PortalUri.IsDefaultPort ? PortalUri.Host : PortalUri.Host + ":" + PortalUri.Port;
        /// <summary>The user the webhook acts as (webhooks only).</summary>
        public int? UserId => _address.UserId;
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
        /// <summary>The wait before the first retry, in seconds; each next one waits twice as long (to 20 s), give or take half.</summary>
        public double RetryIntervalSeconds { get; set; } = 0.5;

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
        public static Bitrix24Connection FromWebhook(string webhookUrl, HttpMessageHandler handler = null) =>
            new Bitrix24Connection(Bitrix24AuthKind.Webhook, PortalAddress.OfWebhook(webhookUrl), null, handler);

        /// <summary>An OAuth application's connection: <c>https://portal/rest/&lt;method&gt;</c> with an
        /// <c>auth</c> parameter holding the access token.</summary>
        public static Bitrix24Connection FromOAuth(string portal, string accessToken, HttpMessageHandler handler = null)
        {
            var address = PortalAddress.OfPortal(portal);
            if (string.IsNullOrWhiteSpace(accessToken))
                throw new Bitrix24ConfigurationException("The access token is empty.");
            return new Bitrix24Connection(Bitrix24AuthKind.OAuth, address, accessToken.Trim(), handler);
        }

        /// <summary>A connection to an in-process portal reached through <paramref name="handler"/>.</summary>
        public static Bitrix24Connection ForSandbox(Uri webhookAddress, HttpMessageHandler handler) =>
            new Bitrix24Connection(Bitrix24AuthKind.Sandbox, PortalAddress.OfWebhook(webhookAddress.ToString()), null, handler);

        /// <summary>Registers one more value that must never be shown (e.g. a refresh token or client secret).</summary>
        public void AddSecret(string secret) => _secrets.Add(secret);

        /// <summary>Replaces every secret of this connection in <paramref name="text"/> with ***.</summary>
        public string Redact(string text) => _secrets.Redact(text);

        internal Uri MethodUri(string method) => new Uri(_address.MethodBase, Uri.EscapeDataString(method));

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
