using System.Linq;
using Bitrix24.Emulator;
using Bitrix24.Tests.Infrastructure;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>Test-Bitrix24Connection: green on a portal that answers as the docs say, and the check behind an
    /// assumption fails, by name, when the portal answers otherwise.</summary>
    [Collection(SerialCollection.Name)]
    public sealed class SelfCheckTests : ModuleTest
    {
        private (string Name, bool Passed, string Seen)[] Checks(string parameters = "") =>
            RunOk("Test-Bitrix24Connection " + parameters).Output
                .Select(o => ((string)o.Properties["Name"].Value, (bool)o.Properties["Passed"].Value, (string)o.Properties["Seen"].Value)).ToArray();

        [Fact]
        public void EveryCheckPassesOnAPortalThatAnswersAsTheDocsSayAndWritesNothing()
        {
            Portal.AddRecord("contact", new Newtonsoft.Json.Linq.JObject { ["NAME"] = "Anna", ["PHONE"] = new Newtonsoft.Json.Linq.JArray(new Newtonsoft.Json.Linq.JObject { ["VALUE"] = "555" }) });
            Portal.ClearLog();

            var checks = Checks();

            Assert.Equal(10, checks.Length);
            Assert.All(checks, c => Assert.True(c.Passed, c.Name + ": " + c.Seen));
            Assert.Contains(checks, c => c.Name == "Item.MultiFields" && c.Seen.StartsWith("1 of 1 contacts came with fm (1 entries"));
            Assert.Empty(Writes.Concat(Portal.Calls.Where(c => c.Method.EndsWith(".add") || c.Method.EndsWith(".update") || c.Method.EndsWith(".delete"))));
            Assert.Empty(RunOk("Test-Bitrix24Connection | Where-Object Passed -eq $false").Output);
        }

        [Theory]
        [InlineData(PortalDivergence.NoTimeBlock, "Answer.TimeBlock")]
        [InlineData(PortalDivergence.NoMultiFieldsOnItems, "Item.MultiFields")]
        [InlineData(PortalDivergence.DealPipelineNotImmutable, "Fields.DealPipelineImmutable")]
        public void ACheckFailsByNameWhenThePortalAnswersOtherwise(PortalDivergence divergence, string check)
        {
            Portal.AddRecord("contact", new Newtonsoft.Json.Linq.JObject { ["NAME"] = "Anna" });
            Portal.Divergences = divergence;

            var failed = RunOk("Test-Bitrix24Connection | Where-Object Passed -eq $false | ForEach-Object Name").Output.Select(o => o.ToString());

            Assert.Equal(new[] { check }, failed);
        }

        [Fact]
        public void TheWriteChecksCreateChangeAndDeleteTheirRecordsAndNoticeAPipelineMoveByUpdate()
        {
            var leads = Portal.RecordCount("lead");
            var deals = Portal.RecordCount("deal");

            var green = Checks("-IncludeWrite -Confirm:$false").Where(c => c.Name.StartsWith("Write.")).ToArray();
            Portal.Divergences = PortalDivergence.DealUpdateMovesPipeline;
            var diverged = Checks("-IncludeWrite -Confirm:$false").Where(c => !c.Passed).Select(c => c.Name);

            Assert.Equal(new[] { "Write.LeadUpdate", "Write.MultiFields", "Write.DealPipelineMove", "Write.Cleanup" }, green.Select(c => c.Name));
            Assert.All(green, c => Assert.True(c.Passed, c.Name + ": " + c.Seen));
            Assert.Equal(new[] { "Write.DealPipelineMove" }, diverged);
            Assert.Equal(leads, Portal.RecordCount("lead"));
            Assert.Equal(deals, Portal.RecordCount("deal"));
        }

        [Fact]
        public void WhatIfRunsTheReadChecksOnlyAndSaysWhatTheWritesWouldDo()
        {
            Portal.ClearLog();

            var checks = Checks("-IncludeWrite -WhatIf");

            Assert.DoesNotContain(checks, c => c.Name.StartsWith("Write."));
            Assert.Contains("Create a lead and a deal titled 'Bitrix24.PowerShell self-check'", Shell.TakeHostText());
            Assert.DoesNotContain(Portal.Calls, c => c.Method.EndsWith(".add") || c.Method.EndsWith(".update") || c.Method.EndsWith(".delete"));
        }
    }
}
