using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>
    /// Bad input never reaches the portal (which would drop most of it without a word), addresses and
    /// phone lists are never damaged by accident.
    /// </summary>
    public sealed class FieldSafetyTests : ModuleTest
    {
        private readonly int _lead;

        public FieldSafetyTests()
        {
            _lead = AddLead("safe", new
            {
                PHONE = new[] { new { VALUE = "111", VALUE_TYPE = "WORK" }, new { VALUE = "222", VALUE_TYPE = "HOME" } },
                ADDRESS = "1 Main St", ADDRESS_2 = "Flat 2", ADDRESS_CITY = "Springfield", ADDRESS_POSTAL_CODE = "12345",
                ADDRESS_REGION = "Central", ADDRESS_PROVINCE = "North", ADDRESS_COUNTRY = "USA", ADDRESS_COUNTRY_CODE = "US",
            });
            Portal.ClearLog();
        }

        private JArray Phones => (JArray)Portal.GetLead(_lead)["PHONE"];
        private string PhoneId(string value) => (string)Phones.First(p => (string)p["VALUE"] == value)["ID"];

        public static IEnumerable<object[]> BadInputs() => new[]
        {
            // parameters and -Fields
            new object[] { "Set-B24Lead -Id {id} -Fields @{ STATUS = 'NEW' }", "Did you mean STATUS_ID" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ TITEL = 'x' }", "Did you mean TITLE" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ ID = 5 }", "read-only" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ DATE_CREATE = '2020-01-01' }", "read-only" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ IS_RETURN_CUSTOMER = 'Y' }", "COMPANY_ID or CONTACT_ID" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_NOPE = 1 }", "not a lead field on this portal" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_SCOER = 1 }", "Did you mean UF_CRM_SCORE" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_SCORE = 'lots' }", "whole number" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_RATING = 'abc' }", "expects a number" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_VIP = 'maybe' }", "Y or N" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_VISIT = 'next tuesday' }", "expects a date" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_CALLBACK = 'soon' }", "date and time" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_SEGMENT = 'Enterprise' }", "1 = Retail, 2 = Wholesale, 3 = Partner" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_SEGMENT = 9 }", "not one of its items" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_BUDGET = 100 }", "'1500.00|USD'" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_CONTRACT = 'no-such-contract.pdf' }", "there is no file at" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ UF_CRM_SCORE = 1, 2 }", "not a multiple field" },
            new object[] { "Set-B24Lead -Id {id} -StatusId NOPE", "NEW, IN_PROCESS, PROCESSED, JUNK, CONVERTED" },
            new object[] { "Set-B24Lead -Id {id} -SourceId TV", "'TV' is not one of the portal's values" },
            new object[] { "Set-B24Lead -Id {id} -CurrencyId XYZ", "USD, EUR" },
            new object[] { "Set-B24Lead -Id {id} -Honorific Sir", "HONORIFIC" },
            new object[] { "Set-B24Lead -Id {id} -StatusId 'IN PROCESS'", "no spaces" },
            new object[] { "Set-B24Lead -Id {id} -Phone @{ ID = 7 }", "DELETE='Y'" },
            new object[] { "Set-B24Lead -Id {id} -Phone @{ VALUE = '1'; VALUE_TYPE = 'CELL' }", "VALUE_TYPE 'CELL' is not one of WORK, MOBILE" },
            new object[] { "Set-B24Lead -Id {id} -Email @{ VALUE = 'a@b.c'; VALUE_TYPE = 'MOBILE' }", "VALUE_TYPE 'MOBILE'" },
            new object[] { "Set-B24Lead -Id {id} -Phone @{ VALUE = '' }", "a value is empty" },
            new object[] { "Set-B24Lead -Id {id} -Phone @{ NUMBER = '555' }", "the keys are ID, VALUE, VALUE_TYPE and DELETE" },
            new object[] { "Set-B24Lead -Id {id} -Phone @{ DELETE = 'Y' }", "needs the ID or the VALUE" },
            new object[] { "Set-B24Lead -Id {id} -Phone @{ ID = 999999; VALUE = '1' }", "no value with ID 999999" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ OPENED = 'sometimes' }", "Y or N" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ OPPORTUNITY = 'free' }", "expects a number" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ BIRTHDATE = '31/31/2020' }", "expects a date" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ ASSIGNED_BY_ID = 'boss' }", "whole number" },
            new object[] { "Set-B24Lead -Id {id} -Fields @{ CONTACT_IDS = 'x' }", "whole number" },
            // hashtables
            new object[] { "@{ ID = {id}; TITEL = 'x' } | Set-B24Lead", "Did you mean TITLE" },
            new object[] { "@{ ID = {id}; STATUS_ID = 'NOPE' } | Set-B24Lead", "not one of the portal's values" },
            new object[] { "@{ ID = {id}; OPPORTUNITY = 'a lot' } | Set-B24Lead", "expects a number" },
            new object[] { "@{ ID = {id}; UF_CRM_VIP = 'perhaps' } | Set-B24Lead", "Y or N" },
            new object[] { "@{ TITLE = 'no id' } | Set-B24Lead", "no lead ID" },
            new object[] { "@{ ID = 'abc'; TITLE = 'x' } | Set-B24Lead", "no lead ID" },
            // CSV-like rows (every value a string)
            new object[] { "[pscustomobject]@{ ID = '{id}'; BIRTHDATE = 'yesterday' } | Set-B24Lead", "expects a date" },
            new object[] { "[pscustomobject]@{ ID = '{id}'; Opened = 'perhaps' } | Set-B24Lead", "Y or N" },
            new object[] { "[pscustomobject]@{ ID = '{id}'; AssignedById = 'seven' } | Set-B24Lead", "whole number" },
            new object[] { "[pscustomobject]@{ ID = '{id}'; Stage = 'NEW' } | Set-B24Lead", "not a lead field" },
            new object[] { "[pscustomobject]@{ ID = '{id}'; UF_CRM_SEGMENT = 'Gold' } | Set-B24Lead", "not one of its items" },
            // A piped row's read-only column is the portal's own value coming back: left out (and named in a warning).
            new object[] { "[pscustomobject]@{ ID = '{id}'; DATE_MODIFY = '2020-01-01' } | Set-B24Lead", "nothing to change" },
            // patched lead objects
            new object[] { "$l = Get-B24Lead -Id {id}; $l.OPPORTUNITY = 'lots'; $l | Set-B24Lead", "expects a number" },
            new object[] { "$l = Get-B24Lead -Id {id}; $l.STATUS_ID = 'NOPE'; $l | Set-B24Lead", "not one of the portal's values" },
            new object[] { "$l = Get-B24Lead -Id {id}; $l.PSObject.Properties.Add([psnoteproperty]::new('Stage', 'NEW')); $l | Set-B24Lead", "not a lead field" },
            new object[] { "$l = Get-B24Lead -Id {id}; $l.CREATED_BY_ID = 99; $l | Set-B24Lead", "read-only" },
            new object[] { "$l = Get-B24Lead -Id {id}; $l.BIRTHDATE = 'never'; $l | Set-B24Lead", "expects a date" },
            new object[] { "$l = Get-B24Lead -Id {id}; $l.UF_CRM_SEGMENT = 'Gold'; $l | Set-B24Lead", "not one of its items" },
            new object[] { "$l = Get-B24Lead -Id {id}; $l.PHONE[0].VALUE_TYPE = 'CELL'; $l | Set-B24Lead", "VALUE_TYPE 'CELL'" },
            new object[] { "$l = Get-B24Lead -Id {id}; $l.PHONE[0].VALUE = ''; $l | Set-B24Lead", "DELETE='Y'" },
        };

        [Fact]
        public void APipedRowsReadOnlyColumnsAreLeftOutAndNamedOnceWhileTheRestLands()
        {
            var result = RunOk($"[pscustomobject]@{{ ID = '{_lead}'; DATE_MODIFY = '2020-01-01'; STATUS_SEMANTIC_ID = 'S'; TITLE = 'From a CSV' }}, " +
                               $"[pscustomobject]@{{ ID = '{_lead}'; DATE_MODIFY = '2020-01-02'; COMMENTS = 'again' }} | Set-B24Lead");

            var warning = Assert.Single(result.Warnings);
            Assert.Contains("DATE_MODIFY, STATUS_SEMANTIC_ID", warning);
            Assert.Equal("From a CSV", (string)Portal.GetLead(_lead)["TITLE"]);
            Assert.All(Portal.Calls.Where(c => c.Method == "crm.lead.update"), c => Assert.Null(c.Parameters["fields"]["DATE_MODIFY"]));
        }

        [Theory]
        [MemberData(nameof(BadInputs))]
        public void BadInputIsRefusedClearlyAndNothingIsWritten(string script, string expected)
        {
            var result = Run(script.Replace("{id}", _lead.ToString()));

            var error = Assert.Single(result.Errors);
            Assert.Contains(expected, error.Exception.Message);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            if (!script.Contains("no id") && !script.Contains("'abc'"))
            {
                Assert.Contains($"Lead {_lead}", error.Exception.Message);
                Assert.Equal(_lead, error.TargetObject);
            }
            Assert.Empty(Writes);
            Assert.Equal("safe", (string)Portal.GetLead(_lead)["TITLE"]);
        }

        [Fact]
        public void TheCatalogueHasAtLeastFortyCases() => Assert.True(BadInputs().Count() >= 40);

        [Fact]
        public void APartialAddressChangeKeepsTheOtherParts()
        {
            var result = RunOk($"Set-B24Lead -Id {_lead} -AddressCity Berlin -AddressCountry Germany -Verbose");

            var lead = Portal.GetLead(_lead);
            Assert.Equal("Berlin", (string)lead["ADDRESS_CITY"]);
            Assert.Equal("Germany", (string)lead["ADDRESS_COUNTRY"]);
            Assert.Equal("1 Main St", (string)lead["ADDRESS"]);
            Assert.Equal("Flat 2", (string)lead["ADDRESS_2"]);
            Assert.Equal("12345", (string)lead["ADDRESS_POSTAL_CODE"]);
            Assert.Equal("US", (string)lead["ADDRESS_COUNTRY_CODE"]);
            var sent = (JObject)Assert.Single(Updates).Parameters["fields"];
            Assert.Equal(8, sent.Properties().Count(p => p.Name.StartsWith("ADDRESS")));
            Assert.Contains(result.Verbose, v => v.Contains("sending the whole address"));
        }

        [Fact]
        public void WithoutTheModuleThePortalWouldEmptyTheOtherParts()
        {
            // What the module protects against: the emulated portal behaves as the core code does.
            RunOk($"Invoke-B24Method crm.lead.update @{{ id = {_lead}; fields = @{{ ADDRESS_CITY = 'Berlin' }} }}");

            Assert.Null((string)Portal.GetLead(_lead)["ADDRESS"]);
        }

        [Fact]
        public void WhatIfShowsTheCompletedAddress()
        {
            RunOk($"Set-B24Lead -Id {_lead} -AddressCity Berlin -WhatIf");

            var shown = Shell.TakeHostText();
            Assert.Contains("ADDRESS_CITY = 'Springfield' -> 'Berlin'", shown);
            Assert.Contains("ADDRESS = '1 Main St' (unchanged)", shown);
            Assert.Empty(Writes);
        }

        [Fact]
        public void AddingAPhoneSendsANewEntry()
        {
            RunOk($"Set-B24Lead -Id {_lead} -Phone '555'");

            var entry = (JObject)Assert.Single((JArray)Assert.Single(Updates).Parameters["fields"]["PHONE"]);
            Assert.Equal(new JObject { ["VALUE"] = "555", ["VALUE_TYPE"] = "WORK" }.ToString(), entry.ToString());
            Assert.Equal(new[] { "111", "222", "555" }, Phones.Select(p => (string)p["VALUE"]));
        }

        [Fact]
        public void AddingAPhoneTheLeadHasAddsNothing()
        {
            var result = RunOk($"Set-B24Lead -Id {_lead} -Phone '111' -Verbose");

            Assert.Empty(Updates);
            Assert.Equal(2, Phones.Count);
            Assert.Contains(result.Verbose, v => v.Contains("already has '111'"));
        }

        [Fact]
        public void ChangingAPhoneByIdSendsItsIdAndValue()
        {
            var id = PhoneId("111");

            RunOk($"Set-B24Lead -Id {_lead} -Phone @{{ ID = {id}; VALUE = '111-9' }}");

            var entry = (JObject)Assert.Single((JArray)Assert.Single(Updates).Parameters["fields"]["PHONE"]);
            Assert.Equal(id, (string)entry["ID"]);
            Assert.Equal("111-9", (string)entry["VALUE"]);
            Assert.Equal(new[] { "111-9", "222" }, Phones.Select(p => (string)p["VALUE"]));
        }

        [Fact]
        public void RemovingAPhoneByIdOrByTextSendsAnExplicitDelete()
        {
            var first = PhoneId("111");
            var second = PhoneId("222");

            RunOk($"Set-B24Lead -Id {_lead} -Phone @{{ ID = {first}; DELETE = 'Y' }}");
            RunOk($"Set-B24Lead -Id {_lead} -Phone @{{ VALUE = '222'; DELETE = 'Y' }}");

            var sent = Updates.Select(u => (JObject)((JArray)u.Parameters["fields"]["PHONE"]).Single()).ToList();
            Assert.Equal(new JObject { ["ID"] = first, ["DELETE"] = "Y" }.ToString(), sent[0].ToString());
            Assert.Equal(new JObject { ["ID"] = second, ["DELETE"] = "Y" }.ToString(), sent[1].ToString());
            Assert.Null(Portal.GetLead(_lead)["PHONE"]);
        }

        [Fact]
        public void ReplacingTheListKeepsChangesRemovesAndAdds()
        {
            var kept = PhoneId("111");
            var gone = PhoneId("222");

            RunOk($"Set-B24Lead -Id {_lead} -Phone '111', @{{ VALUE = '333'; VALUE_TYPE = 'MOBILE' }} -ReplaceMultiFields");

            var sent = (JArray)Assert.Single(Updates).Parameters["fields"]["PHONE"];
            Assert.Equal(2, sent.Count);
            Assert.Contains(sent, e => (string)e["ID"] == gone && (string)e["DELETE"] == "Y");
            Assert.Contains(sent, e => e["ID"] == null && (string)e["VALUE"] == "333");
            Assert.Equal(new[] { ("111", kept), ("333", (string)Phones.Last()["ID"]) }, Phones.Select(p => ((string)p["VALUE"], (string)p["ID"])));
        }

        [Fact]
        public void CustomFieldsOfEveryTypeAreConverted()
        {
            RunOk($@"Set-B24Lead -Id {_lead} -Fields @{{
    UF_CRM_SCORE = '42'; UF_CRM_RATING = 4.5; UF_CRM_VIP = $true; UF_CRM_VISIT = [datetime]'2026-03-04';
    UF_CRM_SEGMENT = 'wholesale'; UF_CRM_BUDGET = '1500.50|usd'; UF_CRM_TAGS = 'a', 'b'; UF_CRM_NOTE = 'n' }}");

            var lead = Portal.GetLead(_lead);
            Assert.Equal("42", (string)lead["UF_CRM_SCORE"]);
            Assert.Equal("4.5", (string)lead["UF_CRM_RATING"]);
            Assert.Equal("1", (string)lead["UF_CRM_VIP"]);
            Assert.StartsWith("2026-03-04", (string)lead["UF_CRM_VISIT"]);
            Assert.Equal("2", (string)lead["UF_CRM_SEGMENT"]);                 // the label became the item's id
            Assert.Equal("1500.50|USD", (string)lead["UF_CRM_BUDGET"]);
            Assert.Equal(new[] { "a", "b" }, ((JArray)lead["UF_CRM_TAGS"]).Select(t => (string)t));
        }

        [Fact]
        public void TabCompletionOffersThePortalsValues()
        {
            string[] Complete(string line) => Run($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object {{ $_.CompletionText }}")
                .Output.Select(o => o.ToString()).ToArray();

            Assert.Equal(new[] { "NEW", "IN_PROCESS", "PROCESSED", "JUNK", "CONVERTED" }, Complete("Set-B24Lead -StatusId "));
            Assert.Equal(new[] { "IN_PROCESS" }, Complete("Set-B24Lead -StatusId IN"));
            Assert.Contains("WEB", Complete("Set-B24Lead -SourceId "));
            Assert.Contains("EUR", Complete("Set-B24Lead -CurrencyId "));
            Assert.Contains("UF_CRM_SEGMENT", Complete("Get-B24Lead -Select UF_"));
            Assert.Empty(Writes);
        }

        [Fact]
        public void TabCompletionIsSilentWhenOffline()
        {
            using var shell = new PowerShellSession();
            var result = shell.Run("(TabExpansion2 -inputScript 'Set-B24Lead -StatusId ' -cursorColumn 22).CompletionMatches.Count");
            Assert.Empty(result.Errors);
        }

        [Fact]
        public void FieldsAndStatusesAreListed()
        {
            var fields = RunOk("Get-B24LeadField UF_* | ForEach-Object { $_.Name + ':' + $_.Type }").Output.Select(o => o.ToString()).ToList();
            Assert.Contains("UF_CRM_SEGMENT:enumeration", fields);
            Assert.Contains("UF_CRM_CONTRACT:file", fields);
            Assert.Equal(new[] { "Retail", "Wholesale", "Partner" }, RunOk("(Get-B24LeadField UF_CRM_SEGMENT).Items.Values").Output.Select(o => o.ToString()));
            Assert.True((bool)RunOk("(Get-B24LeadField DATE_CREATE).IsReadOnly").Output.Single().BaseObject);
            Assert.Equal(new[] { "NEW", "IN_PROCESS", "PROCESSED", "JUNK", "CONVERTED" }, RunOk("Get-B24Status | ForEach-Object StatusId").Output.Select(o => o.ToString()));
            Assert.Contains("WEB", RunOk("Get-B24Status SOURCE | ForEach-Object StatusId").Output.Select(o => o.ToString()));
            Assert.Contains("USD", RunOk("Get-B24Status CURRENCY | ForEach-Object StatusId").Output.Select(o => o.ToString()));
            Portal.ClearLog();
            RunOk("Get-B24LeadField -Force | Out-Null");
            Assert.Single(Portal.CallsTo("batch"));   // -Force reads again: one request
        }
    }
}
