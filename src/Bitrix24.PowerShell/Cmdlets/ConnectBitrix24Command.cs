using System;
using System.Linq;
using System.Management.Automation;
using Bitrix24.Emulator;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Connections;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Connects to a portal through an inbound webhook, an OAuth token or the in-process sandbox, checks
    /// the credential with one call, and makes the connection this runspace's current session.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Bitrix24", DefaultParameterSetName = EnvironmentSet)]
    [OutputType(typeof(Bitrix24Connection))]
    public sealed class ConnectBitrix24Command : B24Cmdlet
    {
        private const string WebhookSet = "Webhook";
        private const string OAuthSet = "OAuth";
        private const string SandboxSet = "Sandbox";
        private const string EnvironmentSet = "Environment";

        /// <summary>The environment variables read when no credential parameter is given (CI, runbooks).</summary>
        public const string WebhookVariable = "BITRIX24_WEBHOOK_URL";
        public const string PortalVariable = "BITRIX24_PORTAL";
        public const string AccessTokenVariable = "BITRIX24_ACCESS_TOKEN";
        public const string RefreshTokenVariable = "BITRIX24_REFRESH_TOKEN";
        public const string ClientIdVariable = "BITRIX24_CLIENT_ID";
        public const string ClientSecretVariable = "BITRIX24_CLIENT_SECRET";

        /// <summary>https://portal/rest/user/secret/ as a string, SecureString or PSCredential.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = WebhookSet)]
        public Parameters.SecretValue WebhookUrl { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = OAuthSet)]
        public string Portal { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = OAuthSet)]
        public Parameters.SecretValue AccessToken { get; set; }

        [Parameter(ParameterSetName = OAuthSet)]
        public Parameters.SecretValue RefreshToken { get; set; }

        [Parameter(ParameterSetName = OAuthSet)]
        public string ClientId { get; set; }

        [Parameter(ParameterSetName = OAuthSet)]
        public Parameters.SecretValue ClientSecret { get; set; }

        /// <summary>The OAuth token endpoint (default: https://oauth.bitrix.info/oauth/token/).</summary>
        [Parameter(ParameterSetName = OAuthSet)]
        [Parameter(ParameterSetName = EnvironmentSet)]
        public Uri OAuthServer { get; set; }

        /// <summary>An in-process emulated portal with demo leads: try everything with no portal.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SandboxSet)]
        public SwitchParameter Sandbox { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>The portal's request rate (its leaky bucket drains this many per second): 2 on most
        /// plans, 5 on Enterprise. Given, the module paces every request under it; not given, it starts at
        /// 2/s and follows what the portal accepts.</summary>
        [Parameter]
        [ValidateRange(0.1, 1000000)]
        public double RateLimit { get; set; } = 2;

        /// <summary>The portal's burst (bucket size): 50 on most plans, 250 on Enterprise.</summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int Burst { get; set; } = 50;

        /// <summary>The portal's operating-time budget per method: seconds of execution per 10 minutes
        /// (480 on the cloud). The module slows a method down before it uses the budget up.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public double OperatingTimeLimit { get; set; } = 480;

        /// <summary>How many times a call that failed in a way that may pass (5xx, dropped connection,
        /// timeout) is sent again, with growing pauses.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        [Alias("RetryCount")]
        public int MaximumRetryCount { get; set; } = 5;

        /// <summary>Seconds before the first retry (as Invoke-RestMethod's -RetryIntervalSec); each next retry waits
        /// twice as long, up to 20 s, give or take half, so many clients retrying do not arrive together.</summary>
        [Parameter]
        [ValidateRange(0.0, 60.0)]
        public double RetryIntervalSec { get; set; } = 0.5;

        /// <summary>The methods the CRM cmdlets use: Classic (crm.lead.*, crm.deal.*, crm.contact.*, crm.company.*;
        /// the default; Lead is the same) or Item (crm.item.* by entityTypeId).</summary>
        [Parameter]
        public Bitrix24.Rest.Crm.CrmApi Api { get; set; } = Bitrix24.Rest.Crm.CrmApi.Classic;

        /// <summary>Do not check the credential with a call (e.g. a webhook without the crm scope).</summary>
        [Parameter]
        public SwitchParameter SkipCheck { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            Bitrix24Connection connection = null;
            try
            {
                connection = Create();
                connection.DeferTokenEvents = true;   // raised on the pipeline thread, where script block handlers run
                connection.Timeout = TimeSpan.FromSeconds(TimeoutSec);
                // Told limits are a ceiling; untold, the pace follows what the portal accepts.
                if (ParameterSpecified(nameof(RateLimit))) connection.RateLimit = RateLimit;
                if (ParameterSpecified(nameof(Burst))) connection.Burst = Burst;
                connection.OperatingLimitSeconds = OperatingTimeLimit;
                connection.MaxAttempts = MaximumRetryCount + 1;
                connection.RetryIntervalSeconds = RetryIntervalSec;
                connection.Api = Api;
                if (!SkipCheck)
                {
                    // Reading the field schema checks the credential and warms the cache validation uses.
                    WriteVerbose($"Checking the credential for {connection} by reading the portal's CRM fields.");
                    var read = Await((cancel, log) => Bitrix24.Rest.Crm.CrmSchema.ReadAllAsync(connection.Client, cancel, log));
                    // The portal took the credential (the batch ran); a kind of record it may not read is checked
                    // against the documented fields only, and using it will say why.
                    if (read.Errors.Count > 0)
                        WriteWarning($"Connected, but the fields of {string.Join(", ", read.Errors.Select(e => $"{e.Key.Plural} ({e.Value.Description})"))} could not be read; " +
                                     "their values are checked against the documented fields only.");
                }
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception ex)
            {
                connection?.Dispose();
                ThrowB24Error(ex, connection?.Portal ?? Portal);
            }

            var previous = SessionStore.Current;
            SessionStore.Current = connection;
            WriteVerbose($"Connected to {connection}.");
            // The session it replaces is closed, unless the user holds it (-PassThru, Get-Bitrix24Connection).
            if (previous != null && !previous.HeldByUser)
            {
                previous.Dispose();
                WriteVerbose($"Closed the previous session to {previous}.");
            }
            connection.HeldByUser = PassThru;
            if (PassThru) WriteObject(connection);
        }

        private Bitrix24Connection Create()
        {
            switch (ParameterSetName)
            {
                case SandboxSet:
                    var portal = EmulatedPortal.CreateDemo(Guid.NewGuid().ToString("N"));
                    // The sandbox limits requests as a real portal on the chosen plan would.
                    portal.Limits = new PortalLimits { RequestsPerSecond = RateLimit, Burst = Burst, OperatingLimitSeconds = OperatingTimeLimit };
                    return Bitrix24Connection.ForSandbox(new Uri("https://sandbox.bitrix24.invalid" + portal.WebhookPath), portal.CreateHandler());
                case OAuthSet:
                    return OAuth(Portal, AccessToken?.Read(nameof(AccessToken)), RefreshToken?.Read(nameof(RefreshToken)),
                                 ClientId, ClientSecret?.Read(nameof(ClientSecret)));
                case WebhookSet:
                    return Bitrix24Connection.FromWebhook(WebhookUrl?.Read(nameof(WebhookUrl)));
                default:
                    return FromEnvironment();
            }
        }

        private Bitrix24Connection OAuth(string portal, string accessToken, string refreshToken, string clientId, string clientSecret)
        {
            var connection = Bitrix24Connection.FromOAuth(portal, accessToken);
            connection.AddSecret(refreshToken);
            connection.AddSecret(clientSecret);
            if (!string.IsNullOrEmpty(refreshToken) || !string.IsNullOrEmpty(clientSecret) || !string.IsNullOrEmpty(clientId))
                connection.EnableTokenRefresh(refreshToken, clientId, clientSecret, OAuthServer);
            return connection;
        }

        private Bitrix24Connection FromEnvironment()
        {
            string Read(string name) => Environment.GetEnvironmentVariable(name) is string value && value.Trim().Length > 0 ? value.Trim() : null;
            var webhook = Read(WebhookVariable);
            if (webhook != null)
            {
                WriteVerbose($"Using the webhook in ${WebhookVariable}.");
                return Bitrix24Connection.FromWebhook(webhook);
            }
            var portal = Read(PortalVariable);
            var token = Read(AccessTokenVariable);
            if (portal != null && token != null)
            {
                WriteVerbose($"Using the OAuth token in ${AccessTokenVariable} for {portal}.");
                return OAuth(portal, token, Read(RefreshTokenVariable), Read(ClientIdVariable), Read(ClientSecretVariable));
            }
            throw new Bitrix24ConfigurationException(
                $"No portal given. Use -WebhookUrl, -Portal with -AccessToken, or -Sandbox; or set ${WebhookVariable} " +
                $"(or ${PortalVariable} and ${AccessTokenVariable}, with ${RefreshTokenVariable}, ${ClientIdVariable} and ${ClientSecretVariable} to renew tokens).");
        }
    }
}
