using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Bitrix24.Emulator;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>
    /// The engine's guarantees, asserted once and run for deals, contacts and companies (bulk and listing also
    /// for a smart process) over loopback HTTP:
    /// the documented example of each update page goes out as exactly that request, a bulk run keeps to a
    /// told limit, a list of 20,000 takes a handful of requests, a misspelt field and a bare multi-field
    /// ID are refused before anything is sent.
    /// </summary>
    [Collection(SerialCollection.Name)]
    public sealed class EntityEngineTests : ModuleTest
    {
        /// <summary>Entity, the docs' example as cmdlet parameters, the same as a piped [ordered] hashtable
        /// plus switches, and the body the docs' example sends (crm-&lt;entity&gt;-update.md).</summary>
        public static IEnumerable<object[]> DocumentedExamples()
        {
            yield return new object[]
            {
                "Deal", 123,
                "Set-B24Deal -Id 123 -Title 'New Deal Title!' -TypeId GOODS -StageId WON -IsRecurring -IsReturnCustomer -Opportunity 9999.99 " +
                "-IsManualOpportunity -AssignedById 1 -Fields ([ordered]@{ UF_CRM_1725365197310 = 'String'; PARENT_ID_1032 = 1 }) -RegisterSonetEvent:$false -RegisterHistoryEvent:$false",
                "[ordered]@{ ID = 123; TITLE = 'New Deal Title!'; TYPE_ID = 'GOODS'; STAGE_ID = 'WON'; IS_RECURRING = 'Y'; IS_RETURN_CUSTOMER = 'Y'; OPPORTUNITY = 9999.99; " +
                "IS_MANUAL_OPPORTUNITY = 'Y'; ASSIGNED_BY_ID = 1; UF_CRM_1725365197310 = 'String'; PARENT_ID_1032 = 1 } | Set-B24Deal -RegisterSonetEvent:$false -RegisterHistoryEvent:$false",
                "{\"id\":123,\"fields\":{\"TITLE\":\"New Deal Title!\",\"TYPE_ID\":\"GOODS\",\"STAGE_ID\":\"WON\",\"IS_RECURRING\":\"Y\",\"IS_RETURN_CUSTOMER\":\"Y\",\"OPPORTUNITY\":9999.99," +
                "\"IS_MANUAL_OPPORTUNITY\":\"Y\",\"ASSIGNED_BY_ID\":1,\"UF_CRM_1725365197310\":\"String\",\"PARENT_ID_1032\":1},\"params\":{\"REGISTER_SONET_EVENT\":\"N\",\"REGISTER_HISTORY_EVENT\":\"N\"}}",
            };
            yield return new object[]
            {
                "Contact", 43,
                "Set-B24Contact -Id 43 -Name John -Birthdate '11.11.1999' -TypeId RECOMMENDATION -SourceId WEB -Post 'Network Administrator' -Comments 'New comment' " +
                "-Opened:$false -Export -AssignedById 1 -CompanyId 12 -CompanyIds 13, 15 " +
                "-Fields ([ordered]@{ UF_CRM_1720697698689 = 'Example of a new value for a custom field of type \"String\"'; PARENT_ID_1224 = 14 }) -RegisterSonetEvent:$false -RegisterHistoryEvent:$false",
                "[ordered]@{ ID = 43; NAME = 'John'; BIRTHDATE = '11.11.1999'; TYPE_ID = 'RECOMMENDATION'; SOURCE_ID = 'WEB'; POST = 'Network Administrator'; COMMENTS = 'New comment'; " +
                "OPENED = 'N'; EXPORT = 'Y'; ASSIGNED_BY_ID = 1; COMPANY_ID = 12; COMPANY_IDS = 13, 15; UF_CRM_1720697698689 = 'Example of a new value for a custom field of type \"String\"'; PARENT_ID_1224 = 14 } " +
                "| Set-B24Contact -RegisterSonetEvent:$false -RegisterHistoryEvent:$false",
                // The date in its ISO form (the issue allows it; the portal reads both).
                "{\"id\":43,\"fields\":{\"NAME\":\"John\",\"BIRTHDATE\":\"1999-11-11\",\"TYPE_ID\":\"RECOMMENDATION\",\"SOURCE_ID\":\"WEB\",\"POST\":\"Network Administrator\"," +
                "\"COMMENTS\":\"New comment\",\"OPENED\":\"N\",\"EXPORT\":\"Y\",\"ASSIGNED_BY_ID\":1,\"COMPANY_ID\":12,\"COMPANY_IDS\":[13,15]," +
                "\"UF_CRM_1720697698689\":\"Example of a new value for a custom field of type \\\"String\\\"\",\"PARENT_ID_1224\":14},\"params\":{\"REGISTER_SONET_EVENT\":\"N\",\"REGISTER_HISTORY_EVENT\":\"N\"}}",
            };
            yield return new object[]
            {
                "Company", 43,
                "Set-B24Company -Id 43 -CurrencyId EUR -Revenue 500000 -Employees EMPLOYEES_3 -RegisterSonetEvent -RegisterHistoryEvent",
                "[ordered]@{ ID = 43; CURRENCY_ID = 'EUR'; REVENUE = 500000; EMPLOYEES = 'EMPLOYEES_3' } | Set-B24Company -RegisterSonetEvent -RegisterHistoryEvent",
                "{\"id\":43,\"fields\":{\"CURRENCY_ID\":\"EUR\",\"REVENUE\":500000,\"EMPLOYEES\":\"EMPLOYEES_3\"},\"params\":{\"REGISTER_SONET_EVENT\":\"Y\",\"REGISTER_HISTORY_EVENT\":\"Y\"}}",
            };
        }

        public static IEnumerable<object[]> Entities() => new[] { new object[] { "Deal" }, new object[] { "Contact" }, new object[] { "Company" } };

        private int AddRecord(string entity, int id = 0, JObject fields = null)
        {
            if (id > 0) Portal.SkipRecordIdsTo(entity, id);
            return Portal.AddRecord(entity, fields ?? new JObject { [entity == "Contact" ? "NAME" : "TITLE"] = entity + " before" });
        }

        private IReadOnlyList<RecordedCall> WritesTo(string entity) =>
            Portal.Calls.Where(c => c.Method.StartsWith("crm." + entity.ToLowerInvariant() + ".") && !c.Method.EndsWith(".get") && !c.Method.EndsWith(".list")
                                    && !c.Method.EndsWith(".fields") || c.Method.StartsWith("crm.item.") && c.Method != "crm.item.get" && c.Method != "crm.item.list").ToList();

        [Theory]
        [MemberData(nameof(DocumentedExamples))]
        public void TheDocumentedExampleGoesOutAsExactlyThatPlainRequest(string entity, int id, string asParameters, string asHashtable, string documentedBody)
        {
            AddRecord(entity, id);
            foreach (var command in new[] { asHashtable, asParameters })
            {
                Portal.ClearLog();
                RunOk(command);

                var update = Assert.Single(Portal.Calls, c => c.Method == $"crm.{entity.ToLowerInvariant()}.update");
                Assert.False(update.ViaBatch);
                Assert.DoesNotContain(Portal.CallsTo("batch"), b => b.Parameters.ToString().Contains(".update"));
                if (command == asHashtable) Assert.Equal(documentedBody, update.RawBody);   // an ordered hashtable keeps the docs' order
                else Assert.True(JToken.DeepEquals(JObject.Parse(documentedBody), JObject.Parse(update.RawBody)), update.RawBody);
            }
        }

        /// <summary>The entities of the bulk and list guarantees, a smart process (the emulator's 1032) included.</summary>
        public static IEnumerable<object[]> EveryEntity() => Entities().Append(new object[] { "Item" });

        /// <summary>The command noun, the emulator's store and the field names of <paramref name="entity"/>.</summary>
        private static (string Noun, string Store, string Title, string Comments) Names(string entity) => entity switch
        {
            "Item" => ("B24Item -EntityTypeId 1032", "item1032", "TITLE", "comments"),
            "Contact" => ("B24Contact", "contact", "NAME", "COMMENTS"),
            _ => ("B24" + entity, entity.ToLowerInvariant(), "TITLE", "COMMENTS"),
        };

        [Theory]
        [MemberData(nameof(EveryEntity))]
        public void TwoThousandPipedIdsKeepToAToldLimitAndAllLand(string entity)
        {
            var (noun, store, title, comments) = Names(entity);
            Portal.AddRecords(store, 2000, i => new JObject { [title] = "r" + i });
            var ids = Enumerable.Range(1, 2000).ToArray();
            Portal.Limits = new PortalLimits { RequestsPerSecond = 5, Burst = 10 };
            Connect("-RateLimit 5 -Burst 10");
            // A smart process's schema is read when a command first names the type (one request), not at connect.
            if (entity == "Item") RunOk("Get-B24ItemField -EntityTypeId 1032 | Out-Null");
            Portal.ClearLog();

            var result = Run($"$ids | Set-{noun} -Fields @{{ {comments} = 'bulk' }}", new Dictionary<string, object> { ["ids"] = ids });

            Assert.Empty(result.Errors);
            Assert.True(Portal.RateLimitedCount <= 1, $"{Portal.RateLimitedCount} refused");
            var method = entity == "Item" ? "crm.item.update" : $"crm.{store}.update";
            Assert.Equal(40, Portal.CallsTo("batch").Count(b => b.Parameters.ToString().Contains(method)));
            // The entity's schema came before, in one read; a refused request (at most one, above) is sent again.
            Assert.Equal(40 + Portal.RateLimitedCount, Portal.HttpRequestCount);
            Assert.All(ids, id => Assert.Equal("bulk", (string)Portal.GetRecord(store, id)["COMMENTS"]));
        }

        [Theory]
        [MemberData(nameof(EveryEntity))]
        public void TwentyThousandRecordsListInAtMostTwelveRequests(string entity)
        {
            var (noun, store, title, _) = Names(entity);
            Portal.AddRecords(store, 20000, i => new JObject { [title] = "r" + i });
            Portal.ClearLog();

            var count = RunOk($"@(Get-{noun}).Count").Output.Single();

            Assert.Equal(20000, (int)count.BaseObject);
            Assert.True(Portal.HttpRequestCount <= 12, $"{Portal.HttpRequestCount} requests");   // a smart process's schema read included
        }

        [Theory]
        [InlineData("Deal", "TITEL", "TITLE")]
        [InlineData("Contact", "LAST_NAM", "LAST_NAME")]
        [InlineData("Company", "INDUSTY", "INDUSTRY")]
        public void AMisspeltFieldIsRefusedWithTheRightSuggestionAndNothingSent(string entity, string misspelt, string meant)
        {
            var id = AddRecord(entity);
            Portal.ClearLog();

            var error = Assert.Single(Run($"Set-B24{entity} -Id {id} -Fields @{{ {misspelt} = 'x' }}").Errors);

            Assert.Equal("Bitrix24.InvalidField", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains($"Did you mean {meant}", error.Exception.Message);
            Assert.StartsWith($"{entity} {id}:", error.Exception.Message);
            Assert.Empty(WritesTo(entity));
        }

        [Theory]
        [InlineData("Contact")]
        [InlineData("Company")]
        public void ABareMultiFieldIdIsRefusedBecauseThePortalWouldDeleteTheValue(string entity)
        {
            var id = AddRecord(entity, 0, new JObject { ["PHONE"] = new JArray(new JObject { ["VALUE"] = "+1 555 0100", ["VALUE_TYPE"] = "WORK" }) });
            var phoneId = (int)Portal.GetRecord(entity, id)["PHONE"][0]["ID"];
            Portal.ClearLog();

            var error = Assert.Single(Run($"Set-B24{entity} -Id {id} -Phone @{{ ID = {phoneId} }}").Errors);

            Assert.Contains("DELETE='Y'", error.Exception.Message);
            Assert.Empty(WritesTo(entity));
            Assert.Single((JArray)Portal.GetRecord(entity, id)["PHONE"]);
        }

        [Theory]
        [MemberData(nameof(Entities))]
        public void PipedObjectsSendOnlyTheirEditsAndWhatIfSendsNothing(string entity)
        {
            var id = AddRecord(entity);
            Portal.ClearLog();

            var preview = RunOk($"$r = Get-B24{entity} -Id {id}; $r.COMMENTS = 'edited'; $r | Set-B24{entity} -WhatIf; $r | Set-B24{entity} -PassThru");

            var update = Assert.Single(Portal.Calls, c => c.Method == $"crm.{entity.ToLowerInvariant()}.update");
            Assert.Equal($"{{\"id\":{id},\"fields\":{{\"COMMENTS\":\"edited\"}}}}", update.RawBody);
            Assert.Equal("Bitrix24." + entity, preview.Output.Single().TypeNames[0]);
            Assert.Equal("edited", (string)Portal.GetRecord(entity, id)["COMMENTS"]);
        }

        [Theory]
        [MemberData(nameof(Entities))]
        public void NewAndRemoveWorkOnTheEntitysOwnMethods(string entity)
        {
            var field = entity == "Contact" ? "Name" : "Title";
            var created = RunOk($"New-B24{entity} -{field} 'Created' -IdOnly").Output.Single();
            var id = (int)created.BaseObject;
            Assert.NotNull(Portal.GetRecord(entity, id));

            RunOk($"Remove-B24{entity} -Id {id} -Confirm:$false");

            Assert.Null(Portal.GetRecord(entity, id));
            Assert.Single(Portal.CallsTo($"crm.{entity.ToLowerInvariant()}.add"));
            Assert.Single(Portal.CallsTo($"crm.{entity.ToLowerInvariant()}.delete"));
        }

        [Theory]
        [MemberData(nameof(Entities))]
        public void TheItemRouteServesTheEntityByItsEntityTypeId(string entity)
        {
            var id = AddRecord(entity);
            RunOk($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -Api Item");
            Portal.ClearLog();

            var read = RunOk($"Set-B24{entity} -Id {id} -Comments 'via item'; Get-B24{entity} -Id {id}").Output.Single();

            var update = Assert.Single(Portal.CallsTo("crm.item.update"));
            Assert.Equal(new[] { "Deal", "Contact", "Company" }.ToList().IndexOf(entity) + 2, (int)update.Parameters["entityTypeId"]);
            Assert.Equal("via item", (string)update.Parameters["fields"]["comments"]);
            Assert.Equal("via item", read.Properties["COMMENTS"].Value);
            Assert.Empty(Portal.CallsTo($"crm.{entity.ToLowerInvariant()}.update"));
        }
    }
}
