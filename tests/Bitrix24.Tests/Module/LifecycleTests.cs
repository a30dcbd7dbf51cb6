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
    /// <summary>Create, read, patch, link contacts, delete.</summary>
    public class LifecycleTests : ModuleTest
    {
        [Fact]
        public void CreateReadPatchLinkContactsAndDelete()
        {
            var result = RunOk(@"
$lead = New-B24Lead -Title 'Lifecycle' -Name Ann -Phone '555 01' -StatusId NEW -Opportunity 100
$lead.TITLE = 'Lifecycle, renamed'; $lead | Set-B24Lead
Set-B24LeadContact -Id $lead.ID -ContactId 11, 12 -PrimaryContactId 12
$contacts = Get-B24LeadContact -Id $lead.ID
$read = Get-B24Lead -Id $lead.ID
Remove-B24Lead -Id $lead.ID -Confirm:$false
$lead.ID; $read.TITLE; $contacts.Count; ($contacts | Where-Object IsPrimary).ContactId");

            var id = (int)result.Output[0].BaseObject;
            Assert.Equal("Lifecycle, renamed", result.Output[1].ToString());
            Assert.Equal(2, (int)result.Output[2].BaseObject);
            Assert.Equal(12, (int)result.Output[3].BaseObject);
            Assert.Null(Portal.GetLead(id));
            var add = Assert.Single(Portal.Calls, c => c.Method is "crm.lead.add" or "crm.item.add");
            var fields = add.Method == "crm.item.add" ? DocumentedItemFields.AsClassic(1, (JObject)add.Parameters["fields"]) : (JObject)add.Parameters["fields"];
            Assert.Equal("555 01", (string)fields["PHONE"][0]["VALUE"]);
        }

        [Fact]
        public void ManyNewLeadsGoInBatchesAndComeBackAsObjectsOrIds()
        {
            Connect("-RateLimit 1000 -Burst 1000");
            Portal.ClearLog();

            var ids = RunOk("1..120 | ForEach-Object { [pscustomobject]@{ TITLE = \"bulk $_\"; OPPORTUNITY = \"$_.50\" } } | New-B24Lead -IdOnly").Output
                      .Select(o => (int)o.BaseObject).ToList();

            Assert.Equal(120, ids.Distinct().Count());
            Assert.Equal(3, Portal.CallsTo("batch").Count);
            // Each id is a lead made from one input row (batches in flight together may be applied in any order).
            Assert.Equal(Enumerable.Range(1, 120).Select(i => "bulk " + i).OrderBy(t => t, StringComparer.Ordinal),
                         ids.Select(id => (string)Portal.GetLead(id)["TITLE"]).OrderBy(t => t, StringComparer.Ordinal));
        }

        [Fact]
        public void ACreationWithAnUnknownOutcomeIsFoundByOriginIdNotDuplicated()
        {
            Connect("-RateLimit 1000 -Burst 1000");
            var before = Portal.LeadCount;
            Portal.DropNextAfterApplying();   // the batch creates the leads, then the connection drops

            var result = Run("1..4 | ForEach-Object { @{ TITLE = \"imported $_\"; ORIGINATOR_ID = 'shop'; ORIGIN_ID = \"order-$_\" } } | New-B24Lead -IdOnly -Verbose");

            result.ThrowIfFailed();
            Assert.Equal(4, Portal.LeadCount - before);                                    // created once each
            Assert.Equal(Enumerable.Range(before + 1, 4), result.Output.Select(o => (int)o.BaseObject).OrderBy(i => i));
            Assert.Equal(4, Portal.CallsTo(MethodOf("list")).Count);                        // each looked up by ORIGIN_ID
            Assert.Contains(result.Verbose, v => v.Contains("had been created"));
        }

        [Fact]
        public void ACreationWithAnUnknownOutcomeAndNoOriginIdIsReportedNotRepeated()
        {
            Connect("-RateLimit 1000 -Burst 1000 -RetryCount 3");
            Portal.FailNext(500, "INTERNAL_SERVER_ERROR", "Internal server error");

            var before = Portal.LeadCount;
            Portal.ClearLog();
            var result = Run("New-B24Lead -Title 'maybe twice'");

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("Bitrix24.OUTCOME_UNKNOWN", error.FullyQualifiedErrorId);
            Assert.Contains("ORIGIN_ID", error.Exception.Message);
            Assert.Equal("new lead 'maybe twice'", error.TargetObject);
            Assert.Equal(1, Portal.HttpRequestCount);   // not sent again
            Assert.Equal(before, Portal.LeadCount);
        }

        [Fact]
        public void RemoveAsksFirstAndHonoursWhatIf()
        {
            var id = AddLead("keep me");

            var whatIf = Run($"Remove-B24Lead -Id {id} -WhatIf");
            var asked = Run($"Remove-B24Lead -Id {id}");          // this host cannot answer the prompt

            Assert.Empty(whatIf.Errors);
            Assert.Contains($"\"Lead {id}\"", Shell.TakeHostText());
            Assert.NotEmpty(asked.Errors);
            Assert.NotNull(Portal.GetLead(id));
            Assert.Empty(Portal.CallsTo(MethodOf("delete")));
        }

        [Fact]
        public void RemoveTakesLeadObjectsAndReportsMissingIds()
        {
            var ids = Enumerable.Range(0, 3).Select(i => AddLead("gone " + i)).ToList();

            var result = Run("Get-B24Lead -Filter @{ '%TITLE' = 'gone' } | Remove-B24Lead -Confirm:$false; Remove-B24Lead -Id 987654 -Confirm:$false");

            Assert.All(ids, id => Assert.Null(Portal.GetLead(id)));
            var error = Assert.Single(result.Errors);
            Assert.Equal(987654, error.TargetObject);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        }

        [Fact]
        public void NewLeadValuesAreCheckedLikeUpdates()
        {
            var result = Run("New-B24Lead -Title x -StatusId NOPE; @{ TITEL = 'y' } | New-B24Lead; New-B24Lead");

            Assert.Equal(3, result.Errors.Count);
            Assert.Contains("not one of the portal's values", result.Errors[0].Exception.Message);
            Assert.Contains("Did you mean TITLE", result.Errors[1].Exception.Message);
            Assert.Contains("nothing to create", result.Errors[2].Exception.Message);
            Assert.Empty(Writes);
        }
    }

    /// <summary>The same tests on the crm.item route.</summary>
    public sealed class LifecycleTestsOnItemRoute : LifecycleTests
    {
        protected override string Api => "Item";
    }
}
