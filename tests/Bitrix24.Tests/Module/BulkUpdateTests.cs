using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Bitrix24.Emulator;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    public class BulkUpdateTests : ModuleTest
    {
        private void ConnectFast(string extra = "") => Connect("-RateLimit 1000 -Burst 1000 " + extra);

        private List<int> AddLeads(int count)
        {
            var first = Portal.LeadCount + 1;
            Portal.AddLeads(count, i => new JObject { ["TITLE"] = "before " + i, ["STATUS_ID"] = "NEW" });
            Portal.ClearLog();
            return Enumerable.Range(first, count).ToList();
        }

        [Fact]
        public void APipelineGoesAsBatchesOfFiftyAndALoneLeadAsAPlainCall()
        {
            ConnectFast();
            var ids = AddLeads(120);

            RunOk("$ids | ForEach-Object { @{ ID = $_; TITLE = \"after $_\" } } | Set-B24Lead", new Dictionary<string, object> { ["ids"] = ids.ToArray() });

            Assert.Equal(3, Portal.HttpRequestCount);                                     // 50 + 50 + 20
            Assert.Equal(3, Portal.CallsTo("batch").Count);
            Assert.Equal(120, Updates.Count(u => u.ViaBatch));
            Assert.All(ids, id => Assert.Equal("after " + id, (string)Portal.GetLead(id)["TITLE"]));

            Portal.ClearLog();
            RunOk($"@{{ ID = {ids[0]}; TITLE = 'alone' }} | Set-B24Lead");
            Assert.False(Assert.Single(Portal.Calls).ViaBatch);
            Assert.Equal(MethodOf("update"), Portal.Calls[0].Method);
        }

        [Fact]
        public void FiveThousandUpdatesUnderServerErrorsAndDroppedConnectionsLandExactlyOnce()
        {
            ConnectFast("-RetryCount 8");
            var ids = AddLeads(5000);
            Portal.Faults = new FaultPlan { ServerErrorRate = 0.10, DropRate = 0.05, Seed = 7 };

            // Every tenth lead also gets a new phone: a retried addition must not add it twice.
            var result = Run(@"
$ids | ForEach-Object {
    if ($_ % 10 -eq 0) { @{ ID = $_; TITLE = ""done $_""; PHONE = @{ VALUE = ""+1 555 $_""; VALUE_TYPE = 'MOBILE' } } }
    else { @{ ID = $_; TITLE = ""done $_""; OPPORTUNITY = $_ } }
} | Set-B24Lead", new Dictionary<string, object> { ["ids"] = ids.ToArray() });

            Assert.Empty(result.Errors);
            Assert.True(Portal.InjectedServerErrors > 20 && Portal.DroppedConnections > 10,
                        $"faults injected: {Portal.InjectedServerErrors} errors, {Portal.DroppedConnections} drops");
            foreach (var id in ids)
            {
                var lead = Portal.GetLead(id);
                Assert.Equal("done " + id, (string)lead["TITLE"]);
                if (id % 10 == 0)
                {
                    var phones = (JArray)lead["PHONE"];
                    Assert.True(phones != null && phones.Count == 1, $"lead {id} has {phones?.Count ?? 0} phones");
                    Assert.Equal("+1 555 " + id, (string)phones[0]["VALUE"]);
                }
                else Assert.Equal(id.ToString("0.00"), (string)lead["OPPORTUNITY"]);
            }
        }

        [Fact]
        public void AMixedBatchReportsExactlyTheInvalidIdsAndUpdatesTheRest()
        {
            ConnectFast();
            var ids = AddLeads(120);
            var missing = new[] { 900001, 900002, 900003 };
            var forbidden = ids[7];
            Portal.ForbidLead(forbidden);
            var input = ids.Concat(missing).OrderBy(_ => Guid.NewGuid()).ToArray();

            var result = Run("$ids | Set-B24Lead -Comments 'bulk'", new Dictionary<string, object> { ["ids"] = input });

            var failed = result.Errors.Select(e => (int)e.TargetObject).OrderBy(i => i).ToList();
            Assert.Equal(missing.Append(forbidden).OrderBy(i => i), failed);
            Assert.All(result.Errors.Where(e => (int)e.TargetObject != forbidden), e => Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category));
            Assert.Equal(ErrorCategory.PermissionDenied, result.Errors.Single(e => (int)e.TargetObject == forbidden).CategoryInfo.Category);
            Assert.All(ids.Where(i => i != forbidden), id => Assert.Equal("bulk", (string)Portal.GetLead(id)["COMMENTS"]));
        }

        [Fact]
        public void ParallelRunspacesSharingOnePortalStayUnderItsLimit()
        {
            var ids = AddLeads(60);
            Portal.Limits = new PortalLimits { RequestsPerSecond = 10, Burst = 10 };

            var result = Run(@"
$groups = 0..2 | ForEach-Object { ,($ids[($_ * 20)..($_ * 20 + 19)]) }
$groups | ForEach-Object -ThrottleLimit 3 -Parallel {
    Import-Module $using:module
    Connect-Bitrix24 -WebhookUrl $using:url -Api $using:api -RateLimit 10 -Burst 10 -SkipCheck
    foreach ($id in $_) { Set-B24Lead -Id $id -Comments ""parallel $id"" }   # one plain request each
}", new Dictionary<string, object> { ["ids"] = ids.ToArray(), ["module"] = ModulePaths.ModuleDirectory, ["url"] = Server.WebhookUrl, ["api"] = Api });

            result.ThrowIfFailed();
            // Three buckets of their own would send 30/s into the portal's 10: some 30 refusals. One shared
            // bucket sends 10/s; a stalled thread of a busy machine can still bunch two sends into one
            // refusal, which is sent again, so a few are allowed (the exact pace is tested on virtual time).
            Assert.InRange(Portal.RateLimitedCount, 0, 3);
            Assert.Equal(60 + 3 + Portal.RateLimitedCount, Portal.HttpRequestCount);   // one update each, each runspace's schema read, and any refused one again
            Assert.All(ids, id => Assert.Equal("parallel " + id, (string)Portal.GetLead(id)["COMMENTS"]));
        }

        [Fact]
        public void TheOperatingBudgetIsWaitedOutInsteadOfFailingTheRest()
        {
            ConnectFast();
            var ids = AddLeads(8);
            Portal.Limits = new PortalLimits { OperatingLimitSeconds = 3, OperatingCostPerCall = 1, BasketLength = TimeSpan.FromMilliseconds(150) };

            var result = Run("foreach ($id in $ids) { Set-B24Lead -Id $id -Title \"budget $id\" -Verbose }", new Dictionary<string, object> { ["ids"] = ids.ToArray() });

            Assert.Empty(result.Errors);
            Assert.All(ids, id => Assert.Equal("budget " + id, (string)Portal.GetLead(id)["TITLE"]));
            Assert.Contains(result.Verbose, v => v.Contains("operating-time"));
        }

        [Fact]
        public void ABulkRunReadsTheBudgetFromBatchAnswersAndWaitsBeforeTheMethodIsBlocked()
        {
            // Each batch of 50 updates spends 50 × 0.02 = 1 s of the method's 3 s budget, and the budget is
            // only known from each batch answer's per-command timings (read in their compact form). Four
            // bulk runs one after another: the fourth must wait instead of being refused.
            // The module is told the portal's (test-sized) budget, as it is the documented 480 s otherwise.
            ConnectFast("-OperatingTimeLimit 3");
            var ids = AddLeads(200);
            Portal.Limits = new PortalLimits { OperatingLimitSeconds = 3, OperatingCostPerCall = 0.02, BasketLength = TimeSpan.FromMilliseconds(300) };

            var result = Run("for ($i = 0; $i -lt 4; $i++) { $ids[($i * 50)..($i * 50 + 49)] | ForEach-Object { @{ ID = $_; TITLE = \"budget $_\" } } | Set-B24Lead -Verbose }",
                             new Dictionary<string, object> { ["ids"] = ids.ToArray() });

            Assert.Empty(result.Errors);
            Assert.All(ids, id => Assert.Equal("budget " + id, (string)Portal.GetLead(id)["TITLE"]));
            Assert.True(200 == Updates.Count(u => u.ViaBatch), string.Join("\n", result.Verbose.Where(v => !v.StartsWith("POST") && !v.StartsWith("Performing"))));   // each sent once: none refused and sent again
            Assert.True(0 == Portal.OperatingLimitRefusals, string.Join("\n", result.Verbose.Where(v => !v.StartsWith("POST") && !v.StartsWith("Performing"))));
            Assert.True(result.Verbose.Any(v => v.Contains("has used") && v.Contains("operating-time budget")),
                        string.Join("\n", result.Verbose.Where(v => !v.StartsWith("POST") && !v.StartsWith("Performing"))));
        }

        [Fact]
        public void ProgressShowsDoneOfTheListTotalAndCompletes()
        {
            ConnectFast();
            AddLeads(600);

            RunOk("Get-B24Lead -Select ID, TITLE | Set-B24Lead -StatusId IN_PROCESS");

            var records = Shell.Host.Progress.Where(p => p.Activity == "Updating Bitrix24 leads").ToList();
            Assert.NotEmpty(records);
            Assert.Contains(records, r => r.StatusDescription.Contains(" of 600 leads"));
            Assert.Equal(ProgressRecordType.Completed, records.Last().RecordType);
            Assert.Equal(600, Updates.Count);
        }

        [Fact]
        public void ErrorActionStopStopsTheBulkCleanly()
        {
            ConnectFast();
            var ids = AddLeads(60);

            var result = Run("$ids | Set-B24Lead -Title stop -ErrorAction Stop; 'after'", new Dictionary<string, object> { ["ids"] = new[] { 999999 }.Concat(ids).ToArray() });

            Assert.True(result.Terminated != null || result.Errors.Count > 0);
            Assert.DoesNotContain(result.Output, o => o.ToString() == "after");
        }
    }
}

namespace Bitrix24.Tests.Module
{
    public sealed class BulkStopTests : ModuleTest
    {
        [Fact]
        public void CtrlCStopsPromptlyAndSaysWhatWasApplied()
        {
            Connect("-RateLimit 2 -Burst 4");
            var first = Portal.LeadCount + 1;
            Portal.AddLeads(2000, i => new JObject { ["TITLE"] = "t" + i });
            Portal.Latency = TimeSpan.FromMilliseconds(200);
            Portal.ClearLog();

            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = Shell.Runspace;
            ps.AddScript($"{first}..{first + 1999} | ForEach-Object {{ @{{ ID = $_; COMMENTS = 'stop test' }} }} | Set-B24Lead");
            var running = ps.BeginInvoke();
            System.Threading.Thread.Sleep(1500);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            ps.Stop();                                            // what Ctrl+C does
            clock.Stop();
            var requestsAtStop = Portal.HttpRequestCount;
            System.Threading.Thread.Sleep(700);

            Assert.True(running.IsCompleted);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"stopping took {clock.Elapsed}");
            Assert.Equal(requestsAtStop, Portal.HttpRequestCount);      // nothing is sent after the stop
            var applied = Enumerable.Range(first, 2000).Count(id => (string)Portal.GetLead(id)["COMMENTS"] == "stop test");
            Assert.InRange(applied, 1, 1999);
            var shown = Shell.TakeHostText();
            Assert.Contains("Updating Bitrix24 leads stopped:", shown);
            Assert.Contains("lead(s) updated", shown);
        }
    }

    /// <summary>The same tests on the crm.item route.</summary>
    public sealed class BulkUpdateTestsOnItemRoute : BulkUpdateTests
    {
        protected override string Api => "Item";
    }
}
