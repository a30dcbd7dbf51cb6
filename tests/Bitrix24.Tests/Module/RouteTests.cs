using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>The lead scenarios on both API routes: crm.lead.* and crm.item.* (entityTypeId 1).
    /// The same scripts must give the same results; only the methods on the wire differ.</summary>
    public sealed class RouteTests : ModuleTest
    {
        private void Use(string api)
        {
            RunOk($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -Api {api} -RateLimit 1000 -Burst 1000");
            Portal.ClearLog();
        }

        private static string Method(string api, string verb) => api == "Item" ? "crm.item." + verb : "crm.lead." + verb;

        [Theory]
        [InlineData("Lead")]
        [InlineData("Item")]
        public void UpdateAndReadBack(string api)
        {
            var id = AddLead("before", new { OPENED = "N", PHONE = new[] { new { VALUE = "111", VALUE_TYPE = "WORK" } } });
            Use(api);

            var lead = Assert.Single(RunOk($"Set-B24Lead -Id {id} -Title 'IP Titov' -StatusId IN_PROCESS -Opened -AssignedById 7 -Opportunity 12500 -Phone @{{ VALUE = '555888'; VALUE_TYPE = 'MOBILE' }} -Fields @{{ UF_CRM_SCORE = 9 }} -PassThru").Output);

            Assert.Equal("IP Titov", lead.Properties["TITLE"].Value);
            Assert.Equal("IN_PROCESS", lead.Properties["STATUS_ID"].Value);
            Assert.Equal(true, lead.Properties["OPENED"].Value);
            Assert.Equal(7, lead.Properties["ASSIGNED_BY_ID"].Value);
            Assert.Equal(12500m, lead.Properties["OPPORTUNITY"].Value);
            var phones = ((System.Collections.Generic.IEnumerable<Bitrix24.Rest.Crm.MultiFieldValue>)lead.Properties["PHONE"].Value).Select(p => p.VALUE).ToList();
            Assert.Equal(new[] { "111", "555888" }, phones);
            Assert.Equal("9", (string)Portal.GetLead(id)["UF_CRM_SCORE"]);
            var update = Assert.Single(Portal.CallsTo(Method(api, "update")));
            if (api == "Item")
            {
                var fields = (JObject)update.Parameters["fields"];
                Assert.Equal("IN_PROCESS", (string)fields["stageId"]);
                Assert.Equal("Y", (string)fields["opened"]);
                Assert.Equal("555888", (string)fields["fm"]["n0"]["value"]);
                Assert.Equal(1, (int)update.Parameters["entityTypeId"]);
            }
        }

        [Theory]
        [InlineData("Lead")]
        [InlineData("Item")]
        public void ListStreamsByCursorAndPatchesSendOnlyTheChanges(string api)
        {
            for (var i = 0; i < 260; i++) AddLead("row " + i, new { STATUS_ID = i % 2 == 0 ? "NEW" : "JUNK", COMMENTS = "c" + i });
            Use(api);

            var titles = RunOk("Get-B24Lead -Filter @{ STATUS_ID = 'NEW' } -Select TITLE, STATUS_ID | ForEach-Object { $_.TITLE }").Output.Select(o => o.ToString()).ToList();
            Assert.Equal(Enumerable.Range(0, 260).Where(i => i % 2 == 0).Select(i => "row " + i), titles);
            Assert.Equal(2, Portal.HttpRequestCount);              // the first page, then the rest chained in one batch
            Portal.ClearLog();

            RunOk("Get-B24Lead -Filter @{ STATUS_ID = 'JUNK' } -First 3 | ForEach-Object { $_.COMMENTS += ' (checked)'; $_ } | Set-B24Lead");

            var updates = Portal.CallsTo(Method(api, "update"));
            Assert.Equal(3, updates.Count);
            var commentsName = api == "Item" ? "comments" : "COMMENTS";
            Assert.All(updates, u => Assert.Equal(new[] { commentsName }, ((JObject)u.Parameters["fields"]).Properties().Select(p => p.Name)));
            Assert.Equal("c1 (checked)", (string)Portal.GetLead(2)["COMMENTS"]);
        }

        [Theory]
        [InlineData("Lead")]
        [InlineData("Item")]
        public void BulkUpdatesGoInBatchesOfFifty(string api)
        {
            var first = Portal.LeadCount + 1;
            Portal.AddLeads(120, i => new JObject { ["TITLE"] = "t" + i });
            Use(api);

            RunOk($"{first}..{first + 119} | ForEach-Object {{ @{{ ID = $_; STATUS_ID = 'PROCESSED' }} }} | Set-B24Lead");

            Assert.Equal(3, Portal.CallsTo("batch").Count);
            Assert.Equal(120, Portal.CallsTo(Method(api, "update")).Count);
            Assert.All(Enumerable.Range(first, 120), id => Assert.Equal("PROCESSED", (string)Portal.GetLead(id)["STATUS_ID"]));
        }

        [Theory]
        [InlineData("Lead")]
        [InlineData("Item")]
        public void CreateReadPatchLinkContactAndDelete(string api)
        {
            Use(api);

            var result = RunOk(@"
$lead = New-B24Lead -Title 'Cycle' -Phone '555 01' -OriginId 'cycle-1'
$lead.TITLE = 'Cycle, renamed'; $lead | Set-B24Lead
Set-B24LeadContact -Id $lead.ID -ContactId 5, 6 -PrimaryContactId 6
$contacts = @(Get-B24LeadContact -Id $lead.ID)
$read = Get-B24Lead -Id $lead.ID
Remove-B24Lead -Id $lead.ID -Confirm:$false
$lead.ID; $read.TITLE; $read.PHONE[0].VALUE; $contacts.Count; ($contacts | Where-Object IsPrimary).ContactId");

            var id = (int)result.Output[0].BaseObject;
            Assert.Equal("Cycle, renamed", result.Output[1].ToString());
            Assert.Equal("555 01", result.Output[2].ToString());
            Assert.Equal(2, (int)result.Output[3].BaseObject);
            Assert.Equal(6, (int)result.Output[4].BaseObject);
            Assert.Null(Portal.GetLead(id));
            Assert.Single(Portal.CallsTo(Method(api, "add")));
            Assert.Single(Portal.CallsTo(Method(api, "delete")));
            if (api == "Item")   // the whole cycle runs without a single crm.lead.* method
                Assert.DoesNotContain(Portal.Calls, c => c.Method.StartsWith("crm.lead."));
        }

        [Fact]
        public void TheItemRouteRefusesAddressFieldsInsteadOfLosingThem()
        {
            var id = AddLead("addr");
            Use("Item");

            var error = Assert.Single(Run($"Set-B24Lead -Id {id} -AddressCity Berlin").Errors);

            Assert.Contains("-Api Lead", error.Exception.Message);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Empty(Writes.Concat(Portal.CallsTo("crm.item.update")));
        }
    }
}
