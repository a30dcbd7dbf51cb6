using System.Collections.Generic;
using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>Timeline comments over loopback HTTP (crm/timeline/comments: crm.timeline.comment.add, .list, .update, .delete).</summary>
    [Collection(SerialCollection.Name)]
    public sealed class TimelineTests : ModuleTest
    {
        private List<int> AddDeals(int count, string stage = "LOSE") =>
            Enumerable.Range(0, count).Select(i => Portal.AddRecord("deal", new JObject { ["TITLE"] = "deal " + i, ["STAGE_ID"] = stage })).ToList();

        private IEnumerable<JObject> CommentsOn(string type, int id) =>
            Portal.TimelineComments.Where(c => (string)c["ENTITY_TYPE"] == type && (string)c["ENTITY_ID"] == id.ToString());

        [Fact]
        public void PipedDealsGetOneCommentEachFiftyToARequest()
        {
            var lost = AddDeals(120);
            var won = AddDeals(3, "WON");
            Portal.ClearLog();

            RunOk("Get-B24Deal -Filter @{ STAGE_ID = 'LOSE' } | Add-B24TimelineComment -Text 'Closed by the Q4 cleanup'");

            Assert.All(lost, id => Assert.Equal("Closed by the Q4 cleanup", (string)Assert.Single(CommentsOn("deal", id))["COMMENT"]));
            Assert.All(won, id => Assert.Empty(CommentsOn("deal", id)));
            Assert.Equal(3, Portal.CallsTo("batch").Count(b => b.Parameters.ToString().Contains("crm.timeline.comment.add")));
            // As the method's page writes them: fields in lower case, the type's name, the record's id.
            // Batches in flight together arrive in any order: the set of records is compared, not the first call.
            var sent = Portal.CallsTo("crm.timeline.comment.add").Select(c => (JObject)c.Parameters["fields"]).ToList();
            Assert.All(sent, fields => Assert.Equal("deal", (string)fields["ENTITY_TYPE"]));
            Assert.Equal(lost.Select(id => id.ToString()).OrderBy(i => i), sent.Select(f => f["ENTITY_ID"].ToString()).OrderBy(i => i));
        }

        [Fact]
        public void WhatIfShowsEveryRecordAndSendsNothing()
        {
            var deals = AddDeals(3);
            Portal.ClearLog();

            RunOk("Get-B24Deal -Filter @{ STAGE_ID = 'LOSE' } | Add-B24TimelineComment -Text 'x' -WhatIf");

            var shown = Shell.TakeHostText();
            Assert.All(deals, id => Assert.Contains($"on target \"Deal {id}\"", shown));
            Assert.Empty(Portal.CallsTo("crm.timeline.comment.add"));
            Assert.Empty(Portal.TimelineComments);
        }

        [Fact]
        public void SmartProcessItemsLeadsAndHashtablesAreCommentedUnderTheirTypeNames()
        {
            var item = Portal.AddRecord("item1032", new JObject { ["TITLE"] = "contract" });
            var lead = AddLead("lead");

            RunOk($"Get-B24Item -EntityTypeId 1032 -Id {item} | Add-B24TimelineComment -Text 'on the item'");
            RunOk($"@{{ EntityType = 'Lead'; ID = {lead} }} | Add-B24TimelineComment -Text 'on the lead'");
            var listed = RunOk($"Get-B24TimelineComment -EntityTypeId 1032 -Id {item}").Output;

            Assert.Equal("on the item", (string)Assert.Single(CommentsOn("dynamic_1032", item))["COMMENT"]);
            Assert.Equal("on the lead", (string)Assert.Single(CommentsOn("lead", lead))["COMMENT"]);
            var comment = Assert.Single(listed);
            Assert.Equal(item, comment.Properties["ENTITY_ID"].Value);
            Assert.Equal("dynamic_1032", comment.Properties["ENTITY_TYPE"].Value);
        }

        [Fact]
        public void AMissingRecordIsReportedByNameWhileTheRestGetTheirComment()
        {
            var deals = AddDeals(2);

            var result = Run($"Add-B24TimelineComment -EntityType Deal -Id {deals[0]}, 999999, {deals[1]} -Text 'hello'");

            var error = Assert.Single(result.Errors);
            Assert.Equal("Deal 999999", error.TargetObject);
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.All(deals, id => Assert.Single(CommentsOn("deal", id)));
        }

        [Fact]
        public void EmptyTextIsRefusedBeforeAnythingIsSent()
        {
            var deal = AddDeals(1)[0];
            Portal.ClearLog();

            var result = Run($"Add-B24TimelineComment -EntityType Deal -Id {deal} -Text ''");

            Assert.NotEmpty(result.Errors);
            Assert.Empty(Portal.CallsTo("crm.timeline.comment.add"));
        }

        [Fact]
        public void AnAddWhoseAnswerWasLostIsNotMadeTwice()
        {
            var deal = AddDeals(1)[0];
            Portal.DropNextAfterApplying();

            RunOk($"Add-B24TimelineComment -EntityType Deal -Id {deal} -Text 'only once'");

            Assert.Single(CommentsOn("deal", deal));
            Assert.Single(Portal.CallsTo("crm.timeline.comment.add"));
        }

        [Fact]
        public void PipedCommentsAreChangedAndRemovedOnTheirRecord()
        {
            var deal = AddDeals(1)[0];
            RunOk($"Add-B24TimelineComment -EntityType Deal -Id {deal} -Text 'first'");
            RunOk($"Add-B24TimelineComment -EntityType Deal -Id {deal} -Text 'second'");

            RunOk($"Get-B24TimelineComment -EntityType Deal -Id {deal} | Where-Object COMMENT -eq 'first' | Set-B24TimelineComment -Text 'first, corrected' -WhatIf");
            var preview = Shell.TakeHostText();
            RunOk($"Get-B24TimelineComment -EntityType Deal -Id {deal} | Where-Object COMMENT -eq 'first' | Set-B24TimelineComment -Text 'first, corrected'");
            var update = Assert.Single(Portal.CallsTo("crm.timeline.comment.update")).Parameters;
            RunOk($"Get-B24TimelineComment -EntityType Deal -Id {deal} | Where-Object COMMENT -eq 'second' | Remove-B24TimelineComment -Confirm:$false");

            Assert.Contains("Update COMMENT = 'first' -> 'first, corrected'", preview);
            Assert.Equal("2", update["ownerTypeId"].ToString());
            Assert.Equal(deal.ToString(), update["ownerId"].ToString());
            Assert.Equal(new[] { "first, corrected" }, CommentsOn("deal", deal).Select(c => (string)c["COMMENT"]));
        }

        [Fact]
        public void ARecordsCommentsAreReadPastTheFirstPage()
        {
            var deal = AddDeals(1)[0];
            RunOk($"1..120 | ForEach-Object {{ @{{ EntityType = 'Deal'; ID = {deal} }} }} | Add-B24TimelineComment -Text 'note'");
            Portal.ClearLog();

            var listed = RunOk($"Get-B24TimelineComment -EntityType Deal -Id {deal}").Output;

            Assert.Equal(120, listed.Count);
            Assert.Equal(2, Portal.HttpRequestCount);   // the first page, then the other two in one batch
        }
    }
}
