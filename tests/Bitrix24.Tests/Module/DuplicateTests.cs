using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>Find-B24Duplicate over crm.duplicate.findbycomm (crm/duplicates/crm-duplicate-find-by-comm.md).</summary>
    [Collection(SerialCollection.Name)]
    public sealed class DuplicateTests : ModuleTest
    {
        [Fact]
        public void EachValueGetsItsOwnMatchesAndAHundredAndTwentyValuesTakeThreeRequests()
        {
            var lead = AddLead("known", new { PHONE = new[] { new { VALUE = "+1 555 0001", VALUE_TYPE = "WORK" } } });
            var contact = Portal.AddRecord("contact", new JObject { ["NAME"] = "Anna", ["EMAIL"] = new JArray(new JObject { ["VALUE"] = "anna@example.com" }),
                                                                    ["PHONE"] = new JArray(new JObject { ["VALUE"] = "+1 555 0001" }) });
            var company = Portal.AddRecord("company", new JObject { ["TITLE"] = "Acme", ["PHONE"] = new JArray(new JObject { ["VALUE"] = "+1 (555) 0002" }) });
            Portal.ClearLog();

            var phones = Enumerable.Range(1, 118).Select(i => $"'+1 555 {i:0000}'");
            var matches = RunOk($"Find-B24Duplicate -Phone {string.Join(",", phones)}, '15550002 ext 7' -Email ANNA@example.com").Output;

            Assert.Equal(3, Portal.HttpRequestCount);   // 120 values, 50 to a request
            Assert.Equal(120, matches.Count);
            var first = matches[0].BaseObject as Bitrix24.Rest.Crm.DuplicateMatch;
            Assert.Equal(new[] { lead }, first.LeadIds);
            Assert.Equal(new[] { contact }, first.ContactIds);
            Assert.Empty(first.CompanyIds);
            var extension = (Bitrix24.Rest.Crm.DuplicateMatch)matches[118].BaseObject;
            Assert.Equal(new[] { company }, extension.CompanyIds);
            Assert.Equal(new[] { contact }, ((Bitrix24.Rest.Crm.DuplicateMatch)matches[119].BaseObject).ContactIds);
            Assert.False(((Bitrix24.Rest.Crm.DuplicateMatch)matches[5].BaseObject).Found);
        }

        /// <summary>The issue's import: 100 contacts, 30 of them sharing a phone or e-mail with an existing contact or lead.</summary>
        [Fact]
        public void AnImportRunTwiceCreatesTheNewOnesOnceAndLooksThemUpInFewRequests()
        {
            for (var i = 0; i < 15; i++)
            {
                Portal.AddRecord("contact", new JObject { ["NAME"] = "Known" + i, ["PHONE"] = new JArray(new JObject { ["VALUE"] = $"+1 555 1{i:000}" }) });
                AddLead("known " + i, new { EMAIL = new[] { new { VALUE = $"person{i + 15}@example.com", VALUE_TYPE = "WORK" } } });
            }
            var contactsBefore = Portal.RecordCount("contact");
            var rows = string.Join(", ", Enumerable.Range(0, 100).Select(i => $"[pscustomobject]@{{ NAME = 'Person{i}'; PHONE = '+1 555 1{i:000}'; EMAIL = 'person{i}@example.com' }}"));
            Portal.ClearLog();

            var first = RunOk($"$rows = @({rows}); $rows | New-B24Contact -IfDuplicate Skip -IdOnly -Verbose");
            var lookups = Portal.CallsTo("batch").Count(b => b.Parameters.ToString().Contains("crm.duplicate.findbycomm"));
            var second = RunOk("$rows | New-B24Contact -IfDuplicate Skip -IdOnly");
            var refused = Run("$rows[0..1] | New-B24Contact -IfDuplicate Error");

            Assert.Equal(70, first.Output.Count);
            Assert.Equal(contactsBefore + 70, Portal.RecordCount("contact"));
            Assert.True(lookups <= 6, $"{lookups} look-up requests");
            Assert.Contains(first.Verbose, v => v.StartsWith("Skipped new contact 'Person0': its phone +1 555 1000 is on contact ", System.StringComparison.Ordinal));
            Assert.Contains(first.Verbose, v => v.StartsWith("Skipped new contact 'Person15': its email person15@example.com is on lead ", System.StringComparison.Ordinal));
            Assert.Empty(second.Output);
            Assert.Equal(contactsBefore + 70, Portal.RecordCount("contact"));
            Assert.Equal(2, refused.Errors.Count);
            Assert.Contains("not created (-IfDuplicate Error", refused.Errors[0].Exception.Message);
        }

        [Fact]
        public void RowsOfOneRunThatShareAPhoneMakeOneRecordAndWhatIfShowsOnlyWhatWouldBeCreated()
        {
            var rows = "[pscustomobject]@{ NAME = 'A'; PHONE = '+1 555 7000' }, [pscustomobject]@{ NAME = 'B'; PHONE = '+1 555 7000' }, [pscustomobject]@{ NAME = 'C'; PHONE = '+1 555 7001' }";
            var preview = RunOk($"{rows} | New-B24Lead -IfDuplicate Skip -WhatIf");
            var shown = Shell.TakeHostText();
            var created = RunOk($"{rows} | New-B24Lead -IfDuplicate Skip -IdOnly -Verbose");

            Assert.Contains("new lead 'A'", shown);
            Assert.DoesNotContain("new lead 'B'", shown);
            Assert.Equal(2, created.Output.Count);
            Assert.Contains(created.Verbose, v => v.Contains("Skipped new lead 'B': its phone +1 555 7000 is on new lead 'A' of this run"));
        }

        [Fact]
        public void CsvRowsAndRecordsGiveTheirPhonesAndEmailsAndTheTypesCanBeNarrowed()
        {
            var contact = Portal.AddRecord("contact", new JObject { ["NAME"] = "Anna", ["EMAIL"] = new JArray(new JObject { ["VALUE"] = "anna@example.com" }) });
            AddLead("lead with the same e-mail", new { EMAIL = new[] { new { VALUE = "anna@example.com", VALUE_TYPE = "HOME" } } });
            Portal.ClearLog();

            var fromRows = RunOk("[pscustomobject]@{ Name = 'Anna'; Phone = ''; Email = 'anna@example.com' }, [pscustomobject]@{ Name = 'Bo'; Phone = '+1 555 9999'; Email = '' } | Find-B24Duplicate").Output;
            var fromRecord = RunOk($"Get-B24Contact -Id {contact} | Find-B24Duplicate -EntityType Contact").Output.Single();

            Assert.Equal(new[] { "EMAIL anna@example.com", "PHONE +1 555 9999" }, fromRows.Select(m => { var d = (Bitrix24.Rest.Crm.DuplicateMatch)m.BaseObject; return d.Type + " " + d.Value; }));
            var record = (Bitrix24.Rest.Crm.DuplicateMatch)fromRecord.BaseObject;
            Assert.Equal("anna@example.com", record.Value);   // the record's "(WORK)" type left off
            Assert.Equal(new[] { contact }, record.ContactIds);
            Assert.Empty(record.LeadIds);
            Assert.All(Portal.CallsTo("crm.duplicate.findbycomm").Skip(2), c => Assert.Equal("CONTACT", (string)c.Parameters["entity_type"]));
        }
    }
}
