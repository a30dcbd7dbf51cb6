using System;
using System.Collections.Generic;
using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    [Collection(SerialCollection.Name)]   // measures process memory: nothing else may run meanwhile
    public sealed class GetB24LeadTests : ModuleTest
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public GetB24LeadTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

        [Fact]
        public void ReadsOneLeadWithTypedValues()
        {
            var id = AddLead("Typed", new
            {
                OPPORTUNITY = "1234.50", OPENED = "N", BIRTHDATE = "1980-01-31", ASSIGNED_BY_ID = "7",
                PHONE = new[] { new { VALUE = "+7 900 000", VALUE_TYPE = "MOBILE" } },
            });

            var lead = Assert.Single(RunOk($"Get-B24Lead -Id {id}").Output);

            Assert.Equal("Bitrix24.Lead", lead.TypeNames[0]);
            Assert.Equal(id, lead.Properties["ID"].Value);
            Assert.Equal(1234.50m, lead.Properties["OPPORTUNITY"].Value);
            Assert.Equal(false, lead.Properties["OPENED"].Value);
            Assert.Equal(7, lead.Properties["ASSIGNED_BY_ID"].Value);
            Assert.Equal(new DateTime(1980, 1, 31), lead.Properties["BIRTHDATE"].Value);
            Assert.IsType<DateTime>(lead.Properties["DATE_CREATE"].Value);
            var phone = Assert.Single((Bitrix24.Rest.Crm.MultiFieldList)lead.Properties["PHONE"].Value);
            Assert.Equal("+7 900 000", ((Bitrix24.Rest.Crm.MultiFieldValue)phone).VALUE);
            Assert.Equal($"Bitrix24 lead {id}", lead.ToString());
        }

        [Fact]
        public void ReadsIdsFromAnArrayFromThePipelineAndFromPropertyNames()
        {
            var a = AddLead("a"); var b = AddLead("b"); var c = AddLead("c");

            var titles = RunOk($@"
Get-B24Lead -Id {a},{b}
{c} | Get-B24Lead
[pscustomobject]@{{ ID = '{a}' }} | Get-B24Lead").Output.Select(o => o.Properties["TITLE"].Value).ToList();

            Assert.Equal(new object[] { "a", "b", "c", "a" }, titles);
        }

        [Fact]
        public void PipedIdsAreRead50PerRequestAndMissingOnesReported()
        {
            var ids = Enumerable.Range(0, 118).Select(i => AddLead("many " + i)).ToList();
            Portal.ClearLog();

            var result = Run("$ids | Get-B24Lead", new Dictionary<string, object> { ["ids"] = ids.Concat(new[] { 900001, 900002 }).ToArray() });

            Assert.Equal(ids.Select(i => "many " + (i - ids[0])), result.Output.Select(o => (string)o.Properties["TITLE"].Value));
            Assert.Equal(3, Portal.HttpRequestCount);
            Assert.Equal(new object[] { 900001, 900002 }, result.Errors.Select(e => e.TargetObject));
            Assert.All(result.Errors, e => Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, e.CategoryInfo.Category));
        }

        [Fact]
        public void ListsWithFilterSelectAndFirst()
        {
            for (var i = 0; i < 300; i++)
                AddLead("lead " + i, new
                {
                    STATUS_ID = i % 3 == 0 ? "NEW" : "JUNK",
                    OPPORTUNITY = (i * 10).ToString(),
                    PHONE = new[] { new { VALUE = "555-" + i, VALUE_TYPE = "WORK" } },
                });

            var leads = RunOk("Get-B24Lead -Filter @{ STATUS_ID = 'NEW'; '>OPPORTUNITY' = 1000 } -Select TITLE, STATUS_ID, PHONE -First 60").Output;

            Assert.Equal(60, leads.Count);
            Assert.All(leads, lead =>
            {
                Assert.Equal("NEW", lead.Properties["STATUS_ID"].Value);
                Assert.Equal(new[] { "ID", "TITLE", "STATUS_ID", "PHONE" }, lead.Properties.Select(p => p.Name).ToArray());
            });
            var ids = leads.Select(l => (int)l.Properties["ID"].Value).ToList();
            Assert.Equal(ids.OrderBy(i => i), ids);
            var expected = Enumerable.Range(0, 300).Where(i => i % 3 == 0 && i * 10 > 1000).Take(60).Select(i => "lead " + i);
            Assert.Equal(expected, leads.Select(l => (string)l.Properties["TITLE"].Value));
        }

        [Fact]
        public void SkipAndOrderAndTotalCount()
        {
            for (var i = 0; i < 120; i++) AddLead("t" + i, new { OPPORTUNITY = ((i * 37) % 120).ToString() });

            var result = RunOk("Get-B24Lead -Order ([ordered]@{ OPPORTUNITY = 'DESC' }) -Skip 55 -First 70 -IncludeTotalCount -Select ID, OPPORTUNITY");

            Assert.Equal(120UL, Convert.ToUInt64(result.Output[0].BaseObject));
            var amounts = result.Output.Skip(1).Select(o => (decimal)o.Properties["OPPORTUNITY"].Value).ToList();
            Assert.Equal(Enumerable.Range(0, 120).Select(i => (decimal)i).OrderByDescending(x => x).Skip(55).Take(70), amounts);
        }

        [Fact]
        public void TheDefaultSelectCarriesTheFieldsOneEdits()
        {
            AddLead("with comments", new { COMMENTS = "existing" });

            var lead = Assert.Single(RunOk("Get-B24Lead").Output);

            Assert.Equal("existing", lead.Properties["COMMENTS"].Value);
            Assert.NotNull(lead.Properties["ASSIGNED_BY_ID"]);
        }

        [Fact]
        public void TwentyThousandLeadsStreamInAtMostTwelveRequestsWithFlatMemory()
        {
            Portal.AddLeads(20_000, i => new JObject { ["TITLE"] = "bulk " + i, ["STATUS_ID"] = "NEW", ["COMMENTS"] = new string('x', 200) });
            Portal.ClearLog();

            var result = RunOk(@"
$count = 0; $samples = [System.Collections.Generic.List[long]]::new(); $requestsAtFirstLead = -1
Get-B24Lead | ForEach-Object {
    if ($count -eq 0) { $requestsAtFirstLead = $portal.HttpRequestCount }
    $count++
    if ($count % 2500 -eq 0) { [GC]::Collect(); $samples.Add([GC]::GetTotalMemory($true)) }
}
$count; $requestsAtFirstLead; $samples", new Dictionary<string, object> { ["portal"] = Portal });

            Assert.Equal(20_000, (int)result.Output[0].BaseObject);
            Assert.InRange(Portal.HttpRequestCount, 1, 12);
            Assert.All(Portal.Calls.Where(c => c.Method == "crm.lead.list" && c.ViaBatch), c => Assert.Equal("-1", (string)c.Parameters["start"]));
            Assert.InRange((int)result.Output[1].BaseObject, 1, 2);   // the first lead came with the first page(s), not at the end
            var samples = result.Output.Skip(2).Select(o => (long)o.BaseObject).ToList();
            Assert.Equal(8, samples.Count);
            var growth = samples.Max() - samples.First();
            _output.WriteLine($"live heap while streaming 20,000 leads: first sample {samples.First() / 1024 / 1024} MB, max {samples.Max() / 1024 / 1024} MB, growth {growth / 1024.0 / 1024:0.0} MB; {Portal.HttpRequestCount} HTTP requests");
            // Alone this grows by about 5 MB (two batches of 2,500 leads in hand); kept leads would be ~20 MB
            // per 2,500. The margin absorbs what other tests' clean-up allocates while this one samples.
            Assert.True(growth < 80L * 1024 * 1024, $"live memory grew by {growth / 1024 / 1024} MB while streaming 20,000 leads");
        }
    }
}
