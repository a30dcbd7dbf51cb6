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
        }

        public Guid ConnectionId { get; } = Guid.NewGuid();
        public Bitrix24AuthKind AuthKind { get; }
        /// <summary>The portal's root address (scheme, host, port): safe to show.</summary>
        public Uri PortalUri { get; }
        public string Portal => PortalUri.IsDefaultPort ? PortalUri.Host : PortalUri.Host + ":" + PortalUri.Port;
        /// <summary>The user the webhook acts as (webhooks only).</summary>
        public int? UserId { get; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The portal's leaky-bucket drain rate (requests per second): 2 on most plans, 5 on Enterprise.</summary>
        public double RateLimit { get; set; } = 2;
        /// <summary>The portal's bucket size: 50 on most plans, 250 on Enterprise.</summary>
        public int Burst { get; set; } = 50;
        /// <summary>Seconds of execution a method may use per ten minutes (cloud: 480).</summary>
        public double OperatingLimitSeconds { get; set; } = 480;
        /// <summary>Attempts per call when the portal fails in a way that may pass (5xx, dropped connection, timeout).</summary>
        public int MaxAttempts { get; set; } = 6;

        /// <summary>Identifies portal + credential for the shared bucket without revealing the credential.</summary>
        internal string RateKey
        {
            get
            {
                using (var sha = System.Security.Cryptography.SHA256.Create())
                {
                    var credential = _webhookSecret ?? _accessToken ?? "";
                    var digest = sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(credential));
                    return Portal + "|" + UserId + "|" + BitConverter.ToString(digest, 0, 8);
                }
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
                lock (_clientLock) return _budget ?? (_budget = new Pacing.OperatingBudget(OperatingLimitSeconds));
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
                lock (_clientLock) return _client ?? (_client = new Bitrix24Client(this));
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
            if (AuthKind == Bitrix24AuthKind.OAuth) parameters["auth"] = _accessToken;
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

        public void Dispose()
        {
            lock (_clientLock) { _client?.Dispose(); _client = null; }
        }
    }
}
