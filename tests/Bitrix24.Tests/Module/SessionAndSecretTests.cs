using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Bitrix24.Emulator;
using Bitrix24.Emulator.Server;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>OAuth renewal, secret inputs, several portals, and the secret never shown anywhere.</summary>
    public sealed class SessionAndSecretTests : ModuleTest
    {
        private const string ClientId = "app.0123456789";
        private const string ClientSecret = "clientSecretValue42";

        private (string Access, string Refresh) StartOAuth()
        {
            Portal.OAuth.RegisterClient(ClientId, ClientSecret);
            return Portal.OAuth.IssueTokens();
        }

        private string ConnectOAuth(string access, string refresh, string clientSecret = ClientSecret, bool renew = true) =>
            $"Connect-Bitrix24 -Portal '{Server.BaseUri}' -AccessToken '{access}'" +
            (renew ? $" -RefreshToken '{refresh}' -ClientId '{ClientId}' -ClientSecret '{clientSecret}' -OAuthServer '{Server.BaseUri}oauth/token/'" : "") +
            " -RateLimit 1000 -Burst 1000";

        [Fact]
        public void AnExpiredTokenIsRenewedOnceAndTheCallRepeated()
        {
            var (access, refresh) = StartOAuth();
            var id = AddLead("oauth");
            RunOk(ConnectOAuth(access, refresh));
            Portal.OAuth.ExpireAccessTokens();

            var result = RunOk($"Set-B24Lead -Id {id} -Title renewed -Verbose; $c = Get-Bitrix24Connection; $c.AccessTokenExpiresAt; $c.TokenRefreshCount; $c.GetRefreshToken()");

            Assert.Equal("renewed", (string)Portal.GetLead(id)["TITLE"]);
            Assert.Equal(1, Portal.OAuth.Refreshes);
            Assert.True((DateTimeOffset)result.Output[0].BaseObject > DateTimeOffset.Now.AddMinutes(50));
            Assert.Equal(1, (int)result.Output[1].BaseObject);
            Assert.IsType<System.Security.SecureString>(result.Output[2].BaseObject);
            Assert.Contains(result.Verbose, v => v.Contains("renewing it at 127.0.0.1"));
            Assert.DoesNotContain(refresh, result.AllText());
            Assert.DoesNotContain(ClientSecret, result.AllText());
        }

        [Fact]
        public void ABulkEditSharesOneRenewal()
        {
            var (access, refresh) = StartOAuth();
            var first = Portal.LeadCount + 1;
            Portal.AddLeads(600, i => new JObject { ["TITLE"] = "t" + i });
            RunOk(ConnectOAuth(access, refresh));
            RunOk($"Set-B24Lead -Id {first} -Comments warm-up");   // the runner has calls in flight from here on
            Portal.OAuth.ExpireAccessTokens();

            var result = Run($"{first}..{first + 599} | ForEach-Object {{ @{{ ID = $_; COMMENTS = 'bulk' }} }} | Set-B24Lead");

            result.ThrowIfFailed();
            Assert.Equal(1, Portal.OAuth.Refreshes);
            Assert.All(Enumerable.Range(first, 600), id => Assert.Equal("bulk", (string)Portal.GetLead(id)["COMMENTS"]));
        }

        [Fact]
        public void AFailedRenewalStopsWithAClearAuthenticationError()
        {
            var (access, refresh) = StartOAuth();
            var ids = Enumerable.Range(0, 3).Select(i => AddLead("x" + i)).ToList();
            RunOk(ConnectOAuth(access, refresh, clientSecret: "wrongClientSecret"));
            Portal.OAuth.ExpireAccessTokens();

            var result = Run($"Set-B24Lead -Id {string.Join(",", ids)} -Title never; 'next statement'");

            var error = Assert.Single(result.Errors);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("could not be renewed", error.Exception.Message);
            Assert.Contains("Connect again", error.Exception.Message);
            Assert.Equal(1, Portal.OAuth.RefusedRefreshes);
            Assert.All(ids, id => Assert.StartsWith("x", (string)Portal.GetLead(id)["TITLE"]));
            Assert.DoesNotContain("wrongClientSecret", result.AllText());
            Assert.DoesNotContain(refresh, result.AllText());
        }

        [Fact]
        public void AnExpiredTokenWithoutRenewalSaysHowToGoOn()
        {
            var (access, _) = StartOAuth();
            var id = AddLead("x");
            RunOk(ConnectOAuth(access, null, renew: false));
            Portal.OAuth.ExpireAccessTokens();

            var error = Assert.Single(Run($"Set-B24Lead -Id {id} -Title x").Errors);

            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("-RefreshToken", error.Exception.Message);
        }

        [Fact]
        public void TheWebhookCanComeFromTheEnvironment()
        {
            using var shell = new PowerShellSession();
            var id = AddLead("env");
            var result = shell.Run($"$env:BITRIX24_WEBHOOK_URL = '{Server.WebhookUrl}'; try {{ Connect-Bitrix24 -Verbose; Set-B24Lead -Id {id} -Title 'from env' }} finally {{ $env:BITRIX24_WEBHOOK_URL = $null }}");

            result.ThrowIfFailed();
            Assert.Equal("from env", (string)Portal.GetLead(id)["TITLE"]);
            Assert.Contains(result.Verbose, v => v.Contains("$BITRIX24_WEBHOOK_URL"));
            Assert.DoesNotContain(Secret, result.AllText());
        }

        [Fact]
        public void NoCredentialAnywhereIsAClearError()
        {
            using var shell = new PowerShellSession();

            var error = Assert.Single(shell.Run("Connect-Bitrix24").Errors);

            Assert.Contains("BITRIX24_WEBHOOK_URL", error.Exception.Message);
        }

        [Fact]
        public void AConnectionCrossesIntoParallelRunspacesWithUsing()
        {
            var ids = Enumerable.Range(0, 6).Select(i => AddLead("p" + i)).ToArray();

            var result = Run(@"
$c = Get-Bitrix24Connection
$ids | ForEach-Object -ThrottleLimit 3 -Parallel {
    Import-Module $using:module
    Set-B24Lead -Id $_ -Comments 'from a parallel runspace' -Connection $using:c
}", new Dictionary<string, object> { ["ids"] = ids, ["module"] = ModulePaths.ModuleDirectory });

            result.ThrowIfFailed();
            Assert.All(ids, id => Assert.Equal("from a parallel runspace", (string)Portal.GetLead(id)["COMMENTS"]));
        }

        /// <summary>
        /// Every cmdlet, in success and failure, with -Verbose and -Debug; every stream, $Error, error
        /// details, exception text, ToString and the format views: no secret, token or client secret.
        /// </summary>
        [Fact]
        public void NoSecretAppearsAnywhereAcrossTheCmdletSurface()
        {
            var (access, refresh) = StartOAuth();
            var lead = AddLead("leak", new { PHONE = new[] { new { VALUE = "1", VALUE_TYPE = "WORK" } } });
            using var down = new EmulatorServer(new EmulatedPortal(Secret));
            var downUrl = down.WebhookUrl;
            down.Dispose();
            Portal.ForbidLead(lead + 1000);

            var script = $@"
$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $ErrorActionPreference = 'Continue'
$c = Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -PassThru -RetryCount 0
$c; $c.ToString(); $c | Out-Host; Get-Bitrix24Connection | Out-Host
Get-B24Lead -Id {lead} | Out-Host
Get-B24Lead -Filter @{{ TITLE = 'leak' }} -IncludeTotalCount | Out-Host
Set-B24Lead -Id {lead} -Title 'still leak' -PassThru -WhatIf
Set-B24Lead -Id {lead} -Comments 'c' -PassThru | Out-Host
Set-B24Lead -Id {lead},999999 -Comments 'batch with an error'
@{{ ID = {lead}; TITEL = 'typo' }} | Set-B24Lead
Invoke-B24Method crm.lead.get @{{ id = {lead} }} -Raw | Out-Host
Invoke-B24Method no.such.method
$portal.FailNext(500, 'INTERNAL_SERVER_ERROR', 'Internal server error')
Set-B24Lead -Id {lead} -Title x
$portal.FailNext(401, 'NO_AUTH_FOUND', 'Wrong authorization data')
Set-B24Lead -Id {lead} -Title x
$portal.AnswerNextWithHtml(502, '<html><body>Bad gateway {Secret}</body></html>')
Set-B24Lead -Id {lead} -Title x
Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl.Replace("http://", "ftp://")}'
Connect-Bitrix24 -WebhookUrl 'http://acme.bitrix24.com/rest/1/{Secret}/'
Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl.Replace("/rest/1/", "/rest/x/")}'
Connect-Bitrix24 -WebhookUrl '{downUrl}' -RetryCount 0
Connect-Bitrix24 -WebhookUrl '{downUrl}' -SkipCheck -RetryCount 0; Set-B24Lead -Id {lead} -Title x
$o = Connect-Bitrix24 -Portal '{Server.BaseUri}' -AccessToken '{access}' -RefreshToken '{refresh}' -ClientId '{ClientId}' -ClientSecret '{ClientSecret}' -OAuthServer '{Server.BaseUri}oauth/token/' -PassThru
$o; $o.ToString(); $o | Out-Host
$portal.OAuth.ExpireAccessTokens()
Set-B24Lead -Id {lead} -Title 'after renewal' -Connection $o
Get-B24Lead -Id {lead} -Connection $o | Out-Host
Connect-Bitrix24 -Portal '{Server.BaseUri}' -AccessToken 'not-a-token-{access}' -RetryCount 0
Disconnect-Bitrix24 -Connection $o
Disconnect-Bitrix24
$Error | ForEach-Object {{ $_.ToString(); $_.Exception.ToString(); $_.ErrorDetails.Message; $_.ErrorDetails.RecommendedAction; $_.TargetObject; $_.CategoryInfo.ToString(); $_.FullyQualifiedErrorId }}
";
            var result = Run(script, new Dictionary<string, object> { ["portal"] = Portal });
            var everything = result.AllText() + "\n" + Shell.TakeHostText();

            Assert.True(result.Errors.Count >= 8, "the failure cases ran: " + result.Errors.Count);
            Assert.Contains("after renewal", (string)Portal.GetLead(lead)["TITLE"]);
            foreach (var secret in new[] { Secret, access, refresh, ClientSecret })
                Assert.False(everything.Contains(secret), $"'{secret}' leaked:\n" + string.Join("\n", everything.Split('\n').Where(l => l.Contains(secret))));
        }
    }
}
