using System;
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
    [Cmdlet(VerbsCommunications.Connect, "Bitrix24", DefaultParameterSetName = WebhookSet)]
    [OutputType(typeof(Bitrix24Connection))]
    public sealed class ConnectBitrix24Command : B24Cmdlet
    {
        private const string WebhookSet = "Webhook";
        private const string OAuthSet = "OAuth";
        private const string SandboxSet = "Sandbox";

        /// <summary>https://portal/rest/user/secret/ as a string, SecureString or PSCredential.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = WebhookSet)]
        public object WebhookUrl { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = OAuthSet)]
        public string Portal { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = OAuthSet)]
        public object AccessToken { get; set; }

        [Parameter(ParameterSetName = OAuthSet)]
        public object RefreshToken { get; set; }

        [Parameter(ParameterSetName = OAuthSet)]
        public string ClientId { get; set; }

        [Parameter(ParameterSetName = OAuthSet)]
        public object ClientSecret { get; set; }

        /// <summary>An in-process emulated portal with demo leads: try everything with no portal.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SandboxSet)]
        public SwitchParameter Sandbox { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

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
                connection.Timeout = TimeSpan.FromSeconds(TimeoutSec);
                if (!SkipCheck)
                {
                    WriteVerbose($"Checking the credential for {connection} with crm.lead.fields.");
                    Await((cancel, log) => connection.Client.CallAsync("crm.lead.fields", new JObject(), cancel, log));
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

            SessionStore.Current = connection;
            WriteVerbose($"Connected to {connection}.");
            if (PassThru) WriteObject(connection);
        }

        private Bitrix24Connection Create()
        {
            switch (ParameterSetName)
            {
                case SandboxSet:
                    var portal = EmulatedPortal.CreateDemo(Guid.NewGuid().ToString("N"));
                    return Bitrix24Connection.ForSandbox(new Uri("https://sandbox.bitrix24.invalid" + portal.WebhookPath), portal.CreateHandler());
                case OAuthSet:
                    var oauth = Bitrix24Connection.FromOAuth(Portal, SecretText.Read(AccessToken, nameof(AccessToken)));
                    oauth.AddSecret(SecretText.Read(RefreshToken, nameof(RefreshToken)));
                    oauth.AddSecret(SecretText.Read(ClientSecret, nameof(ClientSecret)));
                    return oauth;
                default:
                    return Bitrix24Connection.FromWebhook(SecretText.Read(WebhookUrl, nameof(WebhookUrl)));
            }
        }
    }
}
