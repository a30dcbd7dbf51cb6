using System;
using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>
    /// Activities over loopback HTTP (crm/timeline/activities): crm.activity.list, crm.activity.todo.add, the to-do's
    /// updateResponsibleUser and updateDeadline, and crm.activity.update for other kinds and for completing.
    /// </summary>
    [Collection(SerialCollection.Name)]
    public sealed class ActivityTests : ModuleTest
    {
        private static readonly DateTimeOffset Due = new DateTimeOffset(2027, 1, 15, 10, 0, 0, TimeSpan.FromHours(2));

        private JObject Activity(int id) => Portal.Activities.Single(a => (string)a["ID"] == id.ToString());

        [Fact]
        public void ARecordsActivitiesAndAUsersOpenTodosAreListed()
        {
            var deal = Portal.AddRecord("deal", new JObject { ["TITLE"] = "d" });
            var todo = Portal.AddActivity(2, deal, "todo", "send the contract", Due, 7);
            var call = Portal.AddActivity(2, deal, "call", "called", Due, 7, completed: true);
            var elsewhere = Portal.AddActivity(2, deal + 1000, "todo", "other record", Due, 7);
            var someoneElse = Portal.AddActivity(2, deal, "todo", "not hers", Due, 12);

            var onDeal = RunOk($"Get-B24Deal -Id {deal} | Get-B24Activity").Output.Select(o => (int)o.Properties["ID"].Value).OrderBy(i => i);
            var hers = RunOk("Get-B24Activity -ResponsibleId maria@example.com -Open -Todo").Output.Select(o => (int)o.Properties["ID"].Value).OrderBy(i => i);
            var typed = RunOk($"Get-B24Activity -EntityType Deal -Id {deal} -Open").Output.First();

            Assert.Equal(new[] { todo, call, someoneElse }, onDeal);
            Assert.Equal(new[] { todo, elsewhere }, hers);
            Assert.Equal(false, typed.Properties["COMPLETED"].Value);
            Assert.Equal(Due, typed.Properties["DEADLINE"].Value);
            Assert.Equal(7, typed.Properties["RESPONSIBLE_ID"].Value);
        }

        [Fact]
        public void ATodoGoesWithTheDocumentedParametersAndAResponsibleNamedByEmail()
        {
            var deal = Portal.AddRecord("deal", new JObject { ["TITLE"] = "d" });
            Portal.ClearLog();

            var created = RunOk($"New-B24Todo -EntityType Deal -Id {deal} -Deadline '2027-02-01T15:00:00+02:00' -Title 'Ship' -Description 'pallets' -ResponsibleId pavel@example.com -PassThru").Output;

            var sent = Assert.Single(Portal.CallsTo("crm.activity.todo.add")).Parameters;
            Assert.Equal("2", sent["ownerTypeId"].ToString());
            Assert.Equal(deal.ToString(), sent["ownerId"].ToString());
            Assert.Equal("Ship", (string)sent["title"]);
            Assert.Equal("pallets", (string)sent["description"]);
            Assert.Equal("12", sent["responsibleId"].ToString());
            Assert.Equal(new DateTimeOffset(2027, 2, 1, 15, 0, 0, TimeSpan.FromHours(2)), DateTimeOffset.Parse((string)sent["deadline"], System.Globalization.CultureInfo.InvariantCulture));
            var todo = Assert.Single(created);
            Assert.Equal("CRM_TODO", todo.Properties["PROVIDER_ID"].Value);
            Assert.Single(Portal.CallsTo("user.get"));
        }

        [Fact]
        public void AnUnknownOrAmbiguousUserStopsTheCommandBeforeAnythingIsSent()
        {
            var deal = Portal.AddRecord("deal", new JObject { ["TITLE"] = "d" });
            Portal.AddUser("Ann", "One", "shared@example.com");
            Portal.AddUser("Ann", "Two", "shared@example.com");
            Portal.ClearLog();

            var unknown = Run($"New-B24Todo -EntityType Deal -Id {deal} -Deadline '2027-02-01' -ResponsibleId nobody@example.com");
            var dismissed = Run($"Set-B24Deal -Id {deal} -AssignedById oleg@example.com");
            var ambiguous = Run($"Set-B24Deal -Id {deal} -AssignedById shared@example.com");

            Assert.Contains("nobody@example.com", Assert.Single(unknown.Errors).Exception.Message);
            Assert.Equal("Bitrix24.UserNotFound", unknown.Errors[0].FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("'oleg@example.com'", Assert.Single(dismissed.Errors).Exception.Message);
            Assert.Contains("2 active users", Assert.Single(ambiguous.Errors).Exception.Message);
            Assert.Empty(Portal.CallsTo("crm.activity.todo.add"));
            Assert.Empty(Portal.CallsTo("crm.deal.update"));
        }

        [Fact]
        public void AUserNamedByEmailIsLookedUpOnceForAWholePipeline()
        {
            var deals = Enumerable.Range(0, 60).Select(i => Portal.AddRecord("deal", new JObject { ["TITLE"] = "d" + i, ["ASSIGNED_BY_ID"] = 7 })).ToList();
            Portal.ClearLog();

            RunOk("Get-B24Deal -Filter @{ ASSIGNED_BY_ID = 7 } | Set-B24Deal -AssignedById pavel@example.com");

            Assert.Single(Portal.CallsTo("user.get"));
            Assert.All(deals, id => Assert.Equal("12", Portal.GetRecord("deal", id)["ASSIGNED_BY_ID"].ToString()));
        }

        [Fact]
        public void ATodoChangesWithItsOwnMethodsAnotherKindWithUpdateAndItsDeadlineIsRefusedAlone()
        {
            var deal = Portal.AddRecord("deal", new JObject { ["TITLE"] = "d" });
            var todo = Portal.AddActivity(2, deal, "todo", "send", Due, 7);
            var call = Portal.AddActivity(2, deal, "call", "call back", Due, 7);
            Portal.ClearLog();

            var preview = RunOk($"Get-B24Activity -EntityType Deal -Id {deal} | Set-B24Activity -ResponsibleId 12 -WhatIf");
            var shown = Shell.TakeHostText();
            Assert.DoesNotContain(Portal.Calls, c => c.Method != "crm.activity.list");
            var result = Run($"Get-B24Activity -EntityType Deal -Id {deal} | Set-B24Activity -ResponsibleId 12 -Deadline '2027-01-22T10:00:00+02:00'");

            Assert.Contains($"Update RESPONSIBLE_ID = 7 -> 12", shown);
            var error = Assert.Single(result.Errors);
            Assert.Equal(call, error.TargetObject);
            Assert.Contains("not a to-do", error.Exception.Message);
            Assert.Equal("12", (string)Activity(todo)["RESPONSIBLE_ID"]);
            Assert.Equal(new DateTimeOffset(2027, 1, 22, 10, 0, 0, TimeSpan.FromHours(2)), DateTimeOffset.Parse((string)Activity(todo)["DEADLINE"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("7", (string)Activity(call)["RESPONSIBLE_ID"]);   // its deadline was refused: nothing was sent for it
            var moved = Assert.Single(Portal.CallsTo("crm.activity.todo.updateresponsibleuser")).Parameters;
            Assert.Equal(deal.ToString(), moved["ownerId"].ToString());
            Assert.Single(Portal.CallsTo("crm.activity.todo.updatedeadline"));
            Assert.Empty(Portal.CallsTo("crm.activity.update"));

            RunOk($"Set-B24Activity -Id {call} -ResponsibleId 12");
            var update = Assert.Single(Portal.CallsTo("crm.activity.update")).Parameters;
            Assert.Equal("2", update["fields"]["TYPE_ID"].ToString());
            Assert.Equal("12", (string)Activity(call)["RESPONSIBLE_ID"]);
        }

        [Fact]
        public void CompletingSendsCompletedAndLeavesCompletedOnesAlone()
        {
            var deal = Portal.AddRecord("deal", new JObject { ["TITLE"] = "d" });
            var open = Portal.AddActivity(2, deal, "todo", "open", Due, 7);
            var done = Portal.AddActivity(2, deal, "call", "done", Due, 7, completed: true);
            Portal.ClearLog();

            RunOk($"Complete-B24Activity -Id {open}, {done}, 99999 -ErrorAction SilentlyContinue -ErrorVariable failed");
            var failed = RunOk("$failed").Output;

            Assert.Equal("Y", (string)Activity(open)["COMPLETED"]);
            var sent = Assert.Single(Portal.CallsTo("crm.activity.update")).Parameters;
            Assert.Equal(open.ToString(), sent["id"].ToString());
            Assert.Equal("Y", (string)sent["fields"]["COMPLETED"]);
            Assert.Single(failed);
        }
    }
}
