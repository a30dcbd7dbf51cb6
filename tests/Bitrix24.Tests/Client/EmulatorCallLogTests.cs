using System.Linq;
using System.Net.Http;
using System.Text;
using Bitrix24.Emulator;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Client
{
    /// <summary>The emulator's call log can be turned off (the benchmark's portal does): calls are still
    /// served, applied and counted, only not recorded.</summary>
    public class EmulatorCallLogTests
    {
        private const string Batch = "{\"halt\":0,\"cmd\":{\"c0\":\"crm.lead.update?id=1&fields[TITLE]=one\",\"c1\":\"crm.lead.update?id=2&fields[TITLE]=two\"}}";

        private static string Post(EmulatedPortal portal, string body)
        {
            using (var http = new HttpClient(portal.CreateHandler()))
            {
                var answer = http.PostAsync("https://portal.invalid" + portal.WebhookPath + "batch",
                                            new StringContent(body, Encoding.UTF8, "application/json")).Result;
                return answer.Content.ReadAsStringAsync().Result;
            }
        }

        private static EmulatedPortal PortalWithTwoLeads()
        {
            var portal = new EmulatedPortal();
            portal.AddLeads(2, i => new JObject { ["TITLE"] = "lead " + i });
            portal.ClearLog();
            return portal;
        }

        [Fact]
        public void ByDefaultEveryCallIsRecordedBatchCommandsIncluded()
        {
            var portal = PortalWithTwoLeads();
            Post(portal, Batch);
            Assert.Equal(new[] { "batch", "crm.lead.update", "crm.lead.update" }, portal.Calls.Select(c => c.Method).OrderBy(m => m).ToArray());
            Assert.Equal(2, portal.Calls.Count(c => c.ViaBatch));
        }

        [Fact]
        public void WithoutTheLogCallsAreStillAppliedAndCountedButNotKept()
        {
            var portal = PortalWithTwoLeads();
            portal.RecordCalls = false;
            var answer = JObject.Parse(Post(portal, Batch));
            Assert.True((bool)answer["result"]["result"]["c1"]);
            Assert.Empty(portal.Calls);
            Assert.Equal(1, portal.HttpRequestCount);
            Assert.Equal("one", (string)portal.GetLead(1)["TITLE"]);
            Assert.Equal("two", (string)portal.GetLead(2)["TITLE"]);
            Assert.True(portal.HandlingTime > System.TimeSpan.Zero);
        }
    }
}
