using System.Net;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Transport;
using Xunit;

namespace Bitrix24.Tests.Client
{
    /// <summary>What Windows PowerShell 5.1's runtime needs set: more than .NET Framework's two connections
    /// per server, and TLS 1.2. The same code runs here on .NET 10, so the decisions are tested directly.</summary>
    public sealed class TransportSettingsTests
    {
        [Fact]
        public void AHandlerAllowsEveryCallABulkRunHasInFlightAndAListingBeside()
        {
            using var handler = HttpTransport.CreateHandler();
            const int bulkInFlight = BulkRunner.DefaultMaxInFlight;
            Assert.True(handler.MaxConnectionsPerServer > bulkInFlight,
                        $"{handler.MaxConnectionsPerServer} connections for {bulkInFlight} calls in flight plus a listing");
        }

        [Fact]
        public void TlsTwelveIsAddedOnNetFrameworkAndTheDefaultIsLeftAloneElsewhere()
        {
            Assert.Equal(SecurityProtocolType.Tls | SecurityProtocolType.Tls12,
                         HttpTransport.WithModernTls(SecurityProtocolType.Tls, onNetFramework: true));
            Assert.Equal(SecurityProtocolType.SystemDefault,
                         HttpTransport.WithModernTls(SecurityProtocolType.SystemDefault, onNetFramework: false));
        }
    }
}
