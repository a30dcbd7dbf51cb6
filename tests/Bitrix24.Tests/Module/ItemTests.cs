using System.Collections.Generic;
using System.Linq;
using Bitrix24.Emulator;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>
    /// Smart processes over loopback HTTP, on the emulator's two: 1032 Contracts (pipelines 8 and 9, custom
    /// ufCrm5_… fields) and 1036 Projects (one pipeline, 11). Every request goes to crm.item.* by entityTypeId.
    /// Bulk at a told limit and listing 20,000 are asserted with the other entities' (EntityEngineTests).
    /// </summary>
    [Collection(SerialCollection.Name)]
    public sealed class ItemTests : ModuleTest
    {
        private const string Contracts = "item1032";

        private int AddContract(int id = 0, JObject fields = null)
        {
            if (id > 0) Portal.SkipRecordIdsTo(Contracts, id);
            return Portal.AddRecord(Contracts, fields ?? new JObject { ["TITLE"] = "Contract before" });
        }

        private IReadOnlyList<RecordedCall> ItemWrites =>
            Portal.Calls.Where(c => c.Method is "crm.item.update" or "crm.item.add" or "crm.item.delete").ToList();

        [Theory]
        [InlineData("-EntityTypeId 1032")]
        [InlineData("-Type Contracts")]
        public void TheIssuesExampleSendsExactlyOneItemUpdate(string type)
        {
            AddContract(5);
            Portal.ClearLog();

            RunOk($"Set-B24Item {type} -Id 5 -Fields @{{ title = 'X'; ufCrm5_Amount = 10 }}");

            var update = Assert.Single(Portal.Calls, c => c.Method == "crm.item.update");
            Assert.False(update.ViaBatch);
            Assert.True(JToken.DeepEquals(JObject.Parse("{\"entityTypeId\":1032,\"id\":5,\"fields\":{\"title\":\"X\",\"ufCrm5_Amount\":10}}"), JObject.Parse(update.RawBody)), update.RawBody);
            Assert.Single(ItemWrites);
            Assert.Equal("X", (string)Portal.GetRecord(Contracts, 5)["TITLE"]);
            Assert.Equal("10", Portal.GetRecord(Contracts, 5)["UF_CRM_5_AMOUNT"].ToString());
            // The type's schema read asks only for what the connection does not have: the directories came with
            // the connect, and with -Type the title came with the list of types.
            var schemaRead = Assert.Single(Portal.CallsTo("batch")).Parameters.ToString();
            Assert.Contains("crm.item.fields?entityTypeId=1032", schemaRead);
            Assert.DoesNotContain("crm.status.list", schemaRead);
            Assert.Equal(type.StartsWith("-Type"), !schemaRead.Contains("crm.type.list"));
        }

        [Theory]
        [InlineData("titel", "title")]
        [InlineData("ufCrm5_Amont", "ufCrm5_Amount")]
        [InlineData("stagId", "stageId")]
        public void AnUnknownFieldIsRefusedWithASuggestionAndNothingSent(string misspelt, string meant)
        {
            var id = AddContract();
            Portal.ClearLog();

            var error = Assert.Single(Run($"Set-B24Item -EntityTypeId 1032 -Id {id} -Fields @{{ {misspelt} = 'x' }}").Errors);

            Assert.Equal("Bitrix24.InvalidField", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains($"Did you mean {meant}", error.Exception.Message);
            Assert.StartsWith($"Contracts {id}:", error.Exception.Message);
            Assert.Empty(ItemWrites);
        }

        [Fact]
        public void AStageOfAnotherPipelineIsRefusedNamingThePipelineAndItsStages()
        {
            var id = AddContract();   // pipeline 8 (the default)
            Portal.ClearLog();

            var byId = Assert.Single(Run($"Set-B24Item -EntityTypeId 1032 -Id {id} -StageId DT1032_9:APPROVAL").Errors);
            var piped = Assert.Single(Run($"$c = Get-B24Item -EntityTypeId 1032 -Id {id}; $c.stageId = 'DT1032_9:APPROVAL'; $c | Set-B24Item -EntityTypeId 1032").Errors);

            foreach (var error in new[] { byId, piped })
            {
                Assert.StartsWith($"Contracts {id}:", error.Exception.Message);
                Assert.Contains("stageId", error.Exception.Message);
                Assert.Contains("not a stage of pipeline 8 (Sales contracts)", error.Exception.Message);
                Assert.Contains("DT1032_8:NEW, DT1032_8:PREPARATION", error.Exception.Message);
                Assert.Contains("pipeline 9 (Supply contracts)", error.Exception.Message);
            }
            Assert.Empty(ItemWrites);

            // Moving it there with the pipeline is one crm.item.update.
            RunOk($"Set-B24Item -EntityTypeId 1032 -Id {id} -CategoryId 9 -StageId DT1032_9:APPROVAL");
            var moved = Portal.GetRecord(Contracts, id);
            Assert.Equal("9", (string)moved["CATEGORY_ID"]);
            Assert.Equal("DT1032_9:APPROVAL", (string)moved["STAGE_ID"]);
        }

        [Fact]
        public void StagesArePortalsOwnAndCompletedForThePipelineInPlay()
        {
            RunOk("Get-B24ItemPipeline -EntityTypeId 1032 | Out-Null");

            var inNine = Complete("Set-B24Item -EntityTypeId 1032 -Id 1 -CategoryId 9 -StageId ");
            var types = Complete("Get-B24Item -Type ");
            var fields = Complete("Get-B24Item -EntityTypeId 1032 -Select ufCrm5");
            var pipelines = Complete("Get-B24ItemPipeline -Type Contracts -Id ");
            var described = Complete("Get-B24ItemField -EntityTypeId 1036 -Name ufCrm");

            Assert.Equal(new[] { "DT1032_9:NEW", "DT1032_9:APPROVAL", "DT1032_9:SUCCESS", "DT1032_9:FAIL" }, inNine);
            Assert.Equal(new[] { "Contracts", "Projects" }, types);
            Assert.Equal(new[] { "ufCrm5_Amount", "ufCrm5_Kind", "ufCrm5_SignedOn" }, fields.OrderBy(f => f, System.StringComparer.Ordinal));
            Assert.Equal(new[] { "8", "9" }, pipelines);
            Assert.Equal(new[] { "ufCrm6_Budget", "ufCrm6_Code" }, described.OrderBy(f => f, System.StringComparer.Ordinal));
        }

        private List<string> Complete(string line) =>
            RunOk($"(TabExpansion2 -inputScript '{line.Replace("'", "''")}' -cursorColumn {line.Length}).CompletionMatches.CompletionText")
                .Output.Select(o => o.ToString()).ToList();

        [Fact]
        public void PipedItemsShowCamelCaseNamesCarryTheirTypeAndSendOnlyTheirEdits()
        {
            var id = AddContract(0, new JObject { ["TITLE"] = "Lease", ["UF_CRM_5_AMOUNT"] = "100" });
            Portal.ClearLog();

            var result = RunOk($"$c = Get-B24Item -EntityTypeId 1032 -Id {id}; $c.ufCrm5_Amount = 250; $c.title = 'Lease 2'; $c | Set-B24Item -EntityTypeId 1032 -WhatIf; $c");

            var item = result.Output.Single();
            Assert.Equal(new[] { "Bitrix24.Item.1032", "Bitrix24.Item" }, item.TypeNames.Take(2));
            Assert.Contains(item.Properties, p => p.Name == "ufCrm5_Amount");
            Assert.Contains(item.Properties, p => p.Name == "stageId");
            Assert.DoesNotContain(item.Properties, p => p.Name == "TITLE");
            var whatIf = Shell.TakeHostText();
            Assert.Contains("title = 'Lease' -> 'Lease 2'", whatIf);
            Assert.Contains("ufCrm5_Amount = '100' -> 250", whatIf);
            Assert.Contains($"Contracts {id}", whatIf);
            Assert.Empty(ItemWrites);

            RunOk($"$c | Set-B24Item -EntityTypeId 1032");
            var update = Assert.Single(Portal.Calls, c => c.Method == "crm.item.update");
            Assert.Equal($"{{\"entityTypeId\":1032,\"id\":{id},\"fields\":{{\"title\":\"Lease 2\",\"ufCrm5_Amount\":250}}}}", update.RawBody);
        }

        [Fact]
        public void ValuesAreCheckedByThePortalsTypesBeforeSending()
        {
            var id = AddContract();
            Portal.ClearLog();

            var number = Assert.Single(Run($"Set-B24Item -EntityTypeId 1032 -Id {id} -Fields @{{ ufCrm5_Amount = 'lots' }}").Errors);
            var choice = Assert.Single(Run($"Set-B24Item -EntityTypeId 1032 -Id {id} -Fields @{{ ufCrm5_Kind = 'Rental' }}").Errors);
            var lacking = Assert.Single(Run("Set-B24Item -EntityTypeId 1036 -Id 1 -Fields @{ ufCrm5_Amount = 1 }").Errors);
            var noClients = Assert.Single(Run("Set-B24Item -Type Projects -Id 1 -ContactId 40").Errors);   // isClientEnabled N
            RunOk($"Set-B24Item -EntityTypeId 1032 -Id {id} -Fields @{{ ufCrm5_Kind = 'Supply'; ufCrm5_SignedOn = [datetime]'2026-11-30' }}");

            Assert.Contains("ufCrm5_Amount", number.Exception.Message);
            Assert.Contains("1 = Service, 2 = Supply, 3 = Lease", choice.Exception.Message);
            Assert.Contains("not a Projects item field", lacking.Exception.Message);
            Assert.Contains("-ContactId: Projects (entityTypeId 1036) has no such field", noClients.Exception.Message);
            var update = Assert.Single(Portal.Calls, c => c.Method == "crm.item.update");
            Assert.Equal("2", update.Parameters["fields"]["ufCrm5_Kind"].ToString());
            Assert.Equal("2026-11-30", update.Parameters["fields"]["ufCrm5_SignedOn"].ToString());
        }

        [Fact]
        public void NewAndRemoveUseTheItemMethodsOfTheirType()
        {
            var created = RunOk("New-B24Item -Type Projects -Title 'Move office' -Fields @{ ufCrm6_Code = 'MO-1' }").Output.Single();
            var id = (int)created.Properties["id"].Value;
            Assert.Equal("DT1036_11:NEW", created.Properties["stageId"].Value);
            Assert.Equal("MO-1", (string)Portal.GetRecord("item1036", id)["UF_CRM_6_CODE"]);

            RunOk($"Remove-B24Item -EntityTypeId 1036 -Id {id} -Confirm:$false");

            Assert.Null(Portal.GetRecord("item1036", id));
            Assert.Equal(1036, (int)Assert.Single(Portal.CallsTo("crm.item.add")).Parameters["entityTypeId"]);
            Assert.Equal(1036, (int)Assert.Single(Portal.CallsTo("crm.item.delete")).Parameters["entityTypeId"]);
        }

        [Fact]
        public void ErrorsNameTheTypeAndTheIdAndTheRestGoThrough()
        {
            var first = AddContract();
            var second = AddContract();
            Portal.ClearLog();

            var result = Run($"{first}, 99999, {second} | Set-B24Item -Type Contracts -Title 'Renamed'");

            var error = Assert.Single(result.Errors);
            Assert.Equal("99999", error.TargetObject?.ToString());
            Assert.Contains("Get-B24Item", error.ErrorDetails.RecommendedAction);
            Assert.Equal("Renamed", (string)Portal.GetRecord(Contracts, first)["TITLE"]);
            Assert.Equal("Renamed", (string)Portal.GetRecord(Contracts, second)["TITLE"]);

            var unknownType = Assert.Single(Run("Get-B24Item -Type Orders").Errors);
            Assert.Contains("'Contracts' (1032), 'Projects' (1036)", unknownType.Exception.Message);
            var noType = Assert.Single(Run("Set-B24Item -Id 1 -Title x").Errors);
            Assert.Contains("-EntityTypeId <n> or -Type <title>", noType.Exception.Message);
            Portal.AddRecord("deal", new JObject { ["TITLE"] = "A deal" });
            var deal = Assert.Single(Run("Get-B24Deal -First 1 | Set-B24Item -EntityTypeId 1032").Errors);
            Assert.Contains("Set-B24Deal", deal.Exception.Message);
        }

        [Fact]
        public void WithoutCrmAdminRightsTypeSaysToUseEntityTypeIdAndEntityTypeIdWorks()
        {
            for (var i = 0; i < 3; i++) AddContract();
            // crm-type-list.md: a user without CRM admin rights gets 400 ACCESS_DENIED.
            Portal.FailNext(400, "ACCESS_DENIED", "Access denied");
            var denied = Assert.Single(Run("Get-B24Item -Type Contracts").Errors);
            var zero = Assert.Single(Run("Get-B24Item -EntityTypeId 0").Errors);
            var deal = Assert.Single(Run("Get-B24Item -EntityTypeId 2").Errors);

            Assert.StartsWith("Bitrix24.ItemTypesDenied,", denied.FullyQualifiedErrorId);
            Assert.Contains("give -EntityTypeId instead", denied.Exception.Message);
            Assert.StartsWith("ParameterArgumentValidationError", zero.FullyQualifiedErrorId);
            Assert.Contains("use the -B24Deal cmdlets", deal.Exception.Message);
            Assert.Equal(3, RunOk("@(Get-B24Item -EntityTypeId 1032).Count").Output.Single().BaseObject);
        }

        [Fact]
        public void GetB24ItemTypeListsThePortalsTypes()
        {
            var types = RunOk("Get-B24ItemType").Output.Select(o => o.BaseObject).Cast<Bitrix24.Rest.Crm.CrmItemType>().ToList();

            Assert.Equal(new[] { 1032, 1036 }, types.Select(t => t.EntityTypeId));
            Assert.Equal(new[] { "Contracts", "Projects" }, types.Select(t => t.Title));
            Assert.Equal(new[] { true, false }, types.Select(t => t.HasPipelines));
            Assert.All(types, t => Assert.True(t.HasStages));
            Assert.Single(RunOk("Get-B24ItemType -Title proj*").Output);
        }

        [Fact]
        public void TheLeadRouteOnCrmItemReadsItsSchemaFromCrmItemFields()
        {
            var id = AddLead("Item route");
            Portal.ClearLog();
            RunOk($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -Api Item");

            var misspelt = Assert.Single(Run($"Set-B24Lead -Id {id} -Fields @{{ UF_CRM_SCOR = 1 }}").Errors);
            RunOk($"Set-B24Lead -Id {id} -StatusId IN_PROCESS -Fields @{{ UF_CRM_SCORE = 5 }}");
            var listed = RunOk("Get-B24Lead -Filter @{ UF_CRM_SCORE = 5 }").Output.Single();

            var schemaRead = Portal.CallsTo("batch").First().Parameters.ToString();
            Assert.Contains("crm.item.fields?entityTypeId=1", schemaRead);
            Assert.DoesNotContain("crm.lead.fields", schemaRead);
            Assert.Empty(Portal.CallsTo("crm.lead.fields"));
            Assert.Contains("Did you mean UF_CRM_SCORE", misspelt.Exception.Message);
            var update = Assert.Single(Portal.CallsTo("crm.item.update"));
            Assert.Equal("IN_PROCESS", (string)update.Parameters["fields"]["stageId"]);
            Assert.Equal("5", update.Parameters["fields"]["UF_CRM_SCORE"].ToString());
            // useOriginalUfNames=Y goes with no select (public reports: Y with a select can answer with custom fields only).
            var list = Assert.Single(Portal.CallsTo("crm.item.list")).Parameters;
            Assert.Equal("Y", (string)list["useOriginalUfNames"]);
            Assert.Null(list["select"]);
            Assert.Equal("5", listed.Properties["UF_CRM_SCORE"].Value.ToString());
        }
    }
}
