using System.Linq;
using System.Management.Automation;
using Bitrix24.Emulator;
using Bitrix24.Rest.Connections;
using Bitrix24.Tests.Infrastructure;
using Bitrix24.Emulator.Server;
using Xunit;

namespace Bitrix24.Tests.Module
{
    public sealed class ConnectionTests : ModuleTest
    {
        [Fact]
        public void TheWebhookMayBeAStringASecureStringOrACredentialAndNothingElse()
        {
            var url = Server.WebhookUrl;
            // As Read-Host -AsSecureString makes one (the hosted runspace has no ConvertTo-SecureString).
            const string makeSecure = "$s = [securestring]::new(); foreach ($ch in $url.ToCharArray()) { $s.AppendChar($ch) }; ";
            var given = new System.Collections.Generic.Dictionary<string, object> { ["url"] = url };
            var secure = RunOk(makeSecure + "Connect-Bitrix24 -WebhookUrl $s -PassThru | ForEach-Object Portal", given).Output.Single();
            var credential = RunOk(makeSecure + "$c = [pscredential]::new('webhook', $s); Connect-Bitrix24 -WebhookUrl $c -PassThru | ForEach-Object Portal", given).Output.Single();
            Portal.ClearLog();
            var wrong = Run("Connect-Bitrix24 -WebhookUrl @{ url = 'x' }");

            Assert.Equal(new System.Uri(url).Authority, secure.ToString());
            Assert.Equal(secure.ToString(), credential.ToString());
            Assert.Contains("SecretValue", Assert.Single(wrong.Errors).Exception.Message);
            Assert.Equal(0, Portal.HttpRequestCount);
        }

        [Fact]
        public void RetriesAreNamedAsInvokeRestMethodNamesThemAndTheOldNameStillWorks()
        {
            var named = RunOk($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -MaximumRetryCount 2 -RetryIntervalSec 0.05 -SkipCheck -PassThru").Output.Single().BaseObject as Bitrix24.Rest.Connections.Bitrix24Connection;
            var old = RunOk($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -RetryCount 7 -SkipCheck -PassThru").Output.Single().BaseObject as Bitrix24.Rest.Connections.Bitrix24Connection;

            Assert.Equal(3, named.MaxAttempts);
            Assert.Equal(0.05, named.RetryIntervalSeconds);
            Assert.Equal(8, old.MaxAttempts);
            Assert.Equal(0.5, old.RetryIntervalSeconds);
            // The waits: the first interval, then twice as long each time, give or take half, never over 20 s.
            Assert.InRange(Bitrix24.Rest.Transport.Bitrix24Client.Backoff(1, 0.05).TotalSeconds, 0.025, 0.075);
            Assert.InRange(Bitrix24.Rest.Transport.Bitrix24Client.Backoff(3, 0.05).TotalSeconds, 0.1, 0.3);
            Assert.InRange(Bitrix24.Rest.Transport.Bitrix24Client.Backoff(30, 0.5).TotalSeconds, 10, 30);
        }

        [Fact]
        public void PlainHttpToAPortalOnTheNetworkIsRefusedBeforeAnythingIsSent()
        {
            using var fresh = new PowerShellSession();

            var result = fresh.Run("Connect-Bitrix24 -WebhookUrl 'http://acme.bitrix24.com/rest/1/abc123secret/'");

            var record = Assert.Single(result.Errors);
            Assert.StartsWith("Bitrix24.InvalidConnection", record.FullyQualifiedErrorId);
            Assert.Contains("https://", record.Exception.Message);
            Assert.Contains("acme.bitrix24.com", record.Exception.Message);
            Assert.DoesNotContain("abc123secret", result.AllText());
            Assert.Empty(fresh.Run("Get-Bitrix24Connection").Output);
        }

        [Theory]
        [InlineData("http://127.0.0.1")]
        [InlineData("http://127.5.6.7")]
        [InlineData("http://localhost")]
        [InlineData("http://[::1]")]
        public void PlainHttpIsAcceptedForLoopbackHosts(string root)
        {
            var connection = Bitrix24Connection.FromWebhook(root + ":8080/rest/3/abc123secret/");
            Assert.Equal(3, connection.UserId);
            Assert.DoesNotContain("abc123secret", connection.ToString());
        }

        [Theory]
        [InlineData("https://acme.bitrix24.com/rest/abc123secret/")]
        [InlineData("https://acme.bitrix24.com/rest/0/abc123secret/")]
        [InlineData("https://acme.bitrix24.com/api/1/abc123secret/")]
        [InlineData("acme.bitrix24.com/rest/1/abc123secret/")]
        [InlineData("ftp://acme.bitrix24.com/rest/1/abc123secret/")]
        public void AWebhookUrlOfTheWrongShapeIsRefusedWithoutQuotingIt(string url)
        {
            var error = Assert.Throws<Bitrix24ConfigurationException>(() => Bitrix24Connection.FromWebhook(url));
            Assert.DoesNotContain("abc123secret", error.Message);
        }

        [Fact]
        public void AWebhookUrlWithAMethodNameCopiedAlongStillWorks()
        {
            var connection = Bitrix24Connection.FromWebhook("https://acme.bitrix24.com/rest/7/abc123secret/profile.json");
            Assert.Equal("acme.bitrix24.com", connection.Portal);
            Assert.Equal(7, connection.UserId);
        }

        [Fact]
        public void AWrongSecretStopsConnectWithAnAuthenticationError()
        {
            using var fresh = new PowerShellSession();
            var wrong = Server.WebhookUrl.Replace(Secret, "wrongSecretValue");

            var result = fresh.Run($"Connect-Bitrix24 -WebhookUrl '{wrong}'");

            var record = Assert.Single(result.Errors);
            Assert.Equal(ErrorCategory.AuthenticationError, record.CategoryInfo.Category);
            Assert.StartsWith("Bitrix24.NO_AUTH_FOUND", record.FullyQualifiedErrorId);
            Assert.DoesNotContain("wrongSecretValue", result.AllText());
            Assert.Empty(fresh.Run("Get-Bitrix24Connection").Output);
        }

        [Fact]
        public void TheConnectionShowsPortalAndUserButNeverTheSecret()
        {
            var result = RunOk(@"
$c = Get-Bitrix24Connection
$c.ToString()
$c.Portal
$c.UserId
$c.AuthKind.ToString()
$c.PSObject.Properties | ForEach-Object { ""$($_.Name)=$($_.Value)"" }");

            var text = string.Join("\n", result.Output.Select(o => o.ToString()));
            Assert.Equal($"{Server.BaseUri.Host}:{Server.BaseUri.Port} (webhook, user 1)", result.Output[0].ToString());
            Assert.Equal("1", result.Output[2].ToString());
            Assert.Equal("Webhook", result.Output[3].ToString());
            Assert.DoesNotContain(Secret, text);
        }

        [Fact]
        public void TheWebhookCanBeGivenAsASecureString()
        {
            using var fresh = new PowerShellSession();
            var result = fresh.Run($@"
$secure = [System.Security.SecureString]::new()
'{Server.WebhookUrl}'.ToCharArray() | ForEach-Object {{ $secure.AppendChar($_) }}
Connect-Bitrix24 -WebhookUrl $secure -PassThru");
            result.ThrowIfFailed();
            Assert.Equal("Webhook", Assert.Single(result.Output).Properties["AuthKind"].Value.ToString());
        }

        [Fact]
        public void ConnectionsFromPassThruWorkSideBySide()
        {
            using var other = new EmulatorServer(new EmulatedPortal("otherPortalSecret"));
            var here = AddLead("here");
            var there = other.Portal.AddLead(new Newtonsoft.Json.Linq.JObject { ["TITLE"] = "there" });

            RunOk($@"
$second = Connect-Bitrix24 -WebhookUrl '{other.WebhookUrl}' -PassThru
Set-B24Lead -Id {there} -Comments 'via second' -Connection $second
Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}'
Set-B24Lead -Id {here} -Comments 'via current'");

            Assert.Equal("via second", (string)other.Portal.GetLead(there)["COMMENTS"]);
            Assert.Equal("via current", (string)Portal.GetLead(here)["COMMENTS"]);
            Assert.Null((string)Portal.GetLead(here)["COMMENTS"] == "via second" ? "wrong portal" : null);
        }

        [Fact]
        public void TheSessionBelongsToItsRunspace()
        {
            using var otherRunspace = new PowerShellSession();

            var result = otherRunspace.Run("Set-B24Lead -Id 1 -Title x");

            var record = Assert.Single(result.Errors);
            Assert.StartsWith("Bitrix24.NotConnected", record.FullyQualifiedErrorId);
            Assert.Contains("Connect-Bitrix24", record.Exception.Message);
            Assert.Empty(Writes);
        }

        [Fact]
        public void DisconnectEndsTheSession()
        {
            var result = Run("Disconnect-Bitrix24; Get-Bitrix24Connection; Get-B24Lead -Id 1");

            Assert.Empty(result.Output);
            Assert.StartsWith("Bitrix24.NotConnected", Assert.Single(result.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void TheSandboxIsAPortalWithDemoLeads()
        {
            using var fresh = new PowerShellSession();

            var result = fresh.Run(@"
Connect-Bitrix24 -Sandbox
$before = Get-B24Lead -Id 1608
Set-B24Lead -Id 1608 -Title 'Sandbox edit' -StatusId IN_PROCESS -PassThru
$before.TITLE");
            result.ThrowIfFailed();

            var after = result.Output[0];
            Assert.Equal("Sandbox edit", after.Properties["TITLE"].Value);
            Assert.Equal("IN_PROCESS", after.Properties["STATUS_ID"].Value);
            Assert.Equal("Call from Gleb", result.Output[1].ToString());
        }
    }
}
