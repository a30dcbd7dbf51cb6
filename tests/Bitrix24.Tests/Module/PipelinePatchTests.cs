using System.Collections.Generic;
using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>The example block of issue #3, line by line: objects, hashtables, CSV-like rows and ids
    /// piped into Set-B24Lead send exactly the changed fields.</summary>
    public class PipelinePatchTests : ModuleTest
    {
        /// <summary>The fields of the only update, as the portal decoded them.</summary>
        private JObject SentFields() => (JObject)Assert.Single(Updates).Parameters["fields"];

        /// <summary>Each lead's sent fields, values as text (a batch command carries everything as text).</summary>
        private Dictionary<int, string> SentFieldsByLead() =>
            Updates.ToDictionary(u => (int)u.Parameters["id"], u => AsText((JObject)u.Parameters["fields"]));

        private static string AsText(JObject fields) =>
            new JObject(fields.Properties().Select(p => new JProperty(p.Name, p.Value is JValue v ? (JToken)v.ToString() : p.Value))).ToString();

        private static string Text(object fields) => AsText(JObject.FromObject(fields));

        [Fact]
        public void AnEditedLeadObjectSendsOnlyTheChangedFields()
        {
            var id = AddLead("Original", new { OPPORTUNITY = "100.00", COMMENTS = "keep", OPENED = "Y", BIRTHDATE = "1990-05-06" });

            RunOk($"$lead = Get-B24Lead -Id {id}; $lead.TITLE = 'Renamed'; $lead.OPPORTUNITY = 900; $lead | Set-B24Lead");

            Assert.Equal(new JObject { ["TITLE"] = "Renamed", ["OPPORTUNITY"] = 900 }.ToString(), SentFields().ToString());
            Assert.Equal("Renamed", (string)Portal.GetLead(id)["TITLE"]);
            Assert.Equal("900.00", (string)Portal.GetLead(id)["OPPORTUNITY"]);
            Assert.Equal("keep", (string)Portal.GetLead(id)["COMMENTS"]);
        }

        [Fact]
        public void AnUnchangedLeadSendsNothingAndSaysSo()
        {
            var id = AddLead("Same", new { OPPORTUNITY = "12.30", BIRTHDATE = "1990-05-06", PHONE = new[] { new { VALUE = "1", VALUE_TYPE = "WORK" } } });

            var result = RunOk($"Get-B24Lead -Id {id} -Select *, PHONE | Set-B24Lead -Verbose");

            Assert.Empty(Writes);
            Assert.Contains(result.Verbose, v => v == $"Lead {id}: nothing changed; nothing sent.");
        }

        [Fact]
        public void FilteredLeadsPipedWithAParameterSendOnlyThatParameter()
        {
            var fresh = Enumerable.Range(0, 3).Select(i => AddLead("new " + i, new { STATUS_ID = "NEW" })).ToList();
            var other = AddLead("other", new { STATUS_ID = "JUNK" });

            RunOk("Get-B24Lead -Filter @{ STATUS_ID = 'NEW' } | Set-B24Lead -StatusId IN_PROCESS");

            var sent = SentFieldsByLead();
            Assert.Equal(fresh.OrderBy(i => i), sent.Keys.OrderBy(i => i));
            Assert.All(sent.Values, f => Assert.Equal(Text(new { STATUS_ID = "IN_PROCESS" }), f));
            Assert.Equal("JUNK", (string)Portal.GetLead(other)["STATUS_ID"]);
        }

        [Fact]
        public void EditingObjectsInForEachObjectSendsTheEdits()
        {
            var web = AddLead("w", new { SOURCE_ID = "WEB", COMMENTS = "first contact" });
            AddLead("c", new { SOURCE_ID = "CALL", COMMENTS = "phone" });

            RunOk("Get-B24Lead -Filter @{ SOURCE_ID = 'WEB' } | ForEach-Object { $_.COMMENTS += ' (web)'; $_ } | Set-B24Lead");

            Assert.Equal(new JObject { ["COMMENTS"] = "first contact (web)" }.ToString(), SentFields().ToString());
            Assert.Equal("first contact (web)", (string)Portal.GetLead(web)["COMMENTS"]);
        }

        [Fact]
        public void HashtablesCarryTheirIdAndFields()
        {
            var a = AddLead("a"); var b = AddLead("b");

            RunOk($"@{{ ID = {a}; TITLE = 'A' }}, @{{ ID = {b}; UF_CRM_SCORE = 9 }} | Set-B24Lead");

            var sent = SentFieldsByLead();
            Assert.Equal(Text(new { TITLE = "A" }), sent[a]);
            Assert.Equal(Text(new { UF_CRM_SCORE = 9 }), sent[b]);
            Assert.Equal("9", (string)Portal.GetLead(b)["UF_CRM_SCORE"]);
        }

        [Fact]
        public void CsvRowsConvertTheirStringsAndSkipEmptyCells()
        {
            var id = AddLead("csv", new { NAME = "Keep me" });

            // What Import-Csv makes: every value a string, empty cells as ''.
            RunOk($@"
[pscustomobject]@{{ ID = '{id}'; TITLE = 'From CSV'; StatusId = 'JUNK'; OPPORTUNITY = '1200.50'; Opened = 'N';
                   ASSIGNED_BY_ID = '7'; BIRTHDATE = '1985-12-24'; NAME = '' }} | Set-B24Lead");

            var fields = SentFields();
            Assert.Equal("From CSV", (string)fields["TITLE"]);
            Assert.Equal("JUNK", (string)fields["STATUS_ID"]);
            Assert.Equal(1200.50m, (decimal)fields["OPPORTUNITY"]);
            Assert.Equal("N", (string)fields["OPENED"]);
            Assert.Equal(JTokenType.Integer, fields["ASSIGNED_BY_ID"].Type);
            Assert.Equal("1985-12-24", (string)fields["BIRTHDATE"]);
            Assert.False(fields.ContainsKey("NAME"));
            Assert.Equal("Keep me", (string)Portal.GetLead(id)["NAME"]);
        }

        [Fact]
        public void PipedIdsTakeTheFieldParameters()
        {
            var a = AddLead("a", new { OPENED = "N" }); var b = AddLead("b", new { OPENED = "N" });

            RunOk($"{a}, {b} | Set-B24Lead -Opened");

            Assert.Equal("Y", (string)Portal.GetLead(a)["OPENED"]);
            Assert.Equal("Y", (string)Portal.GetLead(b)["OPENED"]);
            Assert.All(SentFieldsByLead().Values, f => Assert.Equal(Text(new { OPENED = "Y" }), f));
        }

        [Fact]
        public void ExplicitParametersWinOverTheObjectsEdits()
        {
            var id = AddLead("t");

            RunOk($"$l = Get-B24Lead -Id {id}; $l.TITLE = 'from object'; $l.COMMENTS = 'c'; $l | Set-B24Lead -Title 'from parameter'");

            Assert.Equal(new JObject { ["TITLE"] = "from parameter", ["COMMENTS"] = "c" }.ToString(), SentFields().ToString());
        }

        [Fact]
        public void APropertyThatIsNotALeadFieldIsRefusedAndTheOtherLeadsGoOn()
        {
            var bad = AddLead("bad"); var good = AddLead("good");

            var result = Run($@"
$x = Get-B24Lead -Id {bad}; $x.PSObject.Properties.Add([psnoteproperty]::new('Titel', 'typo'))
$y = Get-B24Lead -Id {good}; $y.TITLE = 'fine'
$x, $y | Set-B24Lead");

            var error = Assert.Single(result.Errors);
            Assert.Equal(bad, error.TargetObject);
            Assert.Contains("'Titel' that is not a lead field", error.Exception.Message);
            Assert.Contains("Did you mean TITLE", error.Exception.Message);
            Assert.Equal(good, (int)Assert.Single(Updates).Parameters["id"]);
        }

        [Fact]
        public void ChangingAReadOnlyFieldIsRefused()
        {
            var id = AddLead("t");

            var result = Run($"$l = Get-B24Lead -Id {id}; $l.DATE_CREATE = [datetime]'2001-01-01'; $l | Set-B24Lead");

            Assert.Contains("DATE_CREATE", Assert.Single(result.Errors).Exception.Message);
            Assert.Contains("read-only", result.Errors[0].Exception.Message);
            Assert.Empty(Writes);
        }

        [Fact]
        public void EditingTheObjectsPhoneListSendsChangeRemoveAndAdd()
        {
            var id = AddLead("t", new { PHONE = new[] { new { VALUE = "111", VALUE_TYPE = "WORK" }, new { VALUE = "222", VALUE_TYPE = "HOME" } } });
            var phones = (JArray)Portal.GetLead(id)["PHONE"];
            var first = (string)phones[0]["ID"]; var second = (string)phones[1]["ID"];

            RunOk($@"
$l = Get-B24Lead -Id {id} -Select ID, PHONE
$l.PHONE[0].VALUE = '111-changed'
$l.PHONE = @($l.PHONE[0]) + @{{ VALUE = '333'; VALUE_TYPE = 'MOBILE' }}
$l | Set-B24Lead");

            var sent = (JArray)SentFields()["PHONE"];
            Assert.Equal(3, sent.Count);
            Assert.Contains(sent, e => (string)e["ID"] == first && (string)e["VALUE"] == "111-changed");
            Assert.Contains(sent, e => e["ID"] == null && (string)e["VALUE"] == "333" && (string)e["VALUE_TYPE"] == "MOBILE");
            Assert.Contains(sent, e => (string)e["ID"] == second && (string)e["DELETE"] == "Y");
            var now = ((JArray)Portal.GetLead(id)["PHONE"]).Select(p => (string)p["VALUE"]).OrderBy(v => v);
            Assert.Equal(new[] { "111-changed", "333" }, now);
        }

        [Fact]
        public void WhatIfForAPipedLeadShowsOldAndNewWithoutReadingAgain()
        {
            var id = AddLead("Before", new { OPPORTUNITY = "10.00" });

            RunOk($"$l = Get-B24Lead -Id {id}; Portal_ClearLog; $l.TITLE = 'After'; $l | Set-B24Lead -StatusId JUNK -WhatIf"
                  .Replace("Portal_ClearLog", "$portal.ClearLog()"), new Dictionary<string, object> { ["portal"] = Portal });

            Assert.Empty(Portal.Calls);
            var shown = Shell.TakeHostText();
            Assert.Contains("TITLE = 'Before' -> 'After'", shown);
            Assert.Contains("STATUS_ID = 'NEW' -> 'JUNK'", shown);
            Assert.Contains($"\"Lead {id}\"", shown);
        }

        [Fact]
        public void PassThruWritesTheLeadsAsReadBack()
        {
            var id = AddLead("t");

            var lead = Assert.Single(RunOk($"@{{ ID = {id}; TITLE = 'pt' }} | Set-B24Lead -PassThru").Output);

            Assert.Equal("pt", lead.Properties["TITLE"].Value);
            Assert.Equal("Bitrix24.Lead", lead.TypeNames[0]);
        }

        [Fact]
        public void InputWithoutAnIdIsAClearError()
        {
            var result = Run("@{ TITLE = 'no id' }, [pscustomobject]@{ Name = 'x' } | Set-B24Lead");

            Assert.Equal(2, result.Errors.Count);
            Assert.All(result.Errors, e => Assert.Contains("no lead ID", e.Exception.Message));
            Assert.Empty(Writes);
        }
    }

    /// <summary>The same tests on the crm.item route.</summary>
    public sealed class PipelinePatchTestsOnItemRoute : PipelinePatchTests
    {
        protected override string Api => "Item";
    }
}
