using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>
    /// The docs as the reference (tests/Conformance): each method's example answer, typed in from its doc page, is
    /// read by the module (served as is to a real command, which must show it and, where it patches, send only the
    /// change), and the emulator's own answer to the same request has the page's keys and value types, except the
    /// keys each fixture lists, with the reason, as not emulated.
    /// </summary>
    [Collection(SerialCollection.Name)]
    public sealed class ConformanceTests : ModuleTest
    {
        private static readonly string Folder = Path.Combine(ModulePaths.RepoRoot, "tests", "Conformance");

        public static IEnumerable<object[]> Fixtures() =>
            Directory.GetFiles(Path.Combine(Folder, "answers"), "*.json").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

        public static IEnumerable<object[]> ClientFixtures() => Fixtures().Where(f => Load((string)f[0])["client"] != null);

        private static JObject Load(string name) =>
            JObject.Parse(File.ReadAllText(Path.Combine(Folder, "answers", name + ".json")));

        [Theory]
        [MemberData(nameof(ClientFixtures))]
        public void TheModuleReadsTheDocumentedAnswer(string name)
        {
            var fixture = Load(name);
            var client = (JObject)fixture["client"];
            if (client["record"] is JObject record)   // the record the command names exists, so a patch can land
                Portal.AddRecords((string)record["entity"], (int)record["id"], i => new JObject { ["TITLE"] = "r" + i, ["NAME"] = "r" + i });
            Portal.AnswerNextWith((string)fixture["method"], (JObject)fixture["answer"]);
            var variables = new Dictionary<string, object> { ["url"] = Server.WebhookUrl };

            RunOk((string)client["script"], variables);

            Assert.Equal(0, Portal.CannedAnswersLeft);   // the command did ask the method
            foreach (var expected in ((JObject)client["expect"]).Properties())
                Assert.Equal((string)expected.Value, RunOk($"[string]({expected.Name})").Output.Single()?.ToString());
            if (client["patch"] is JObject patch)
            {
                Portal.ClearLog();
                RunOk((string)patch["script"], variables);
                var sent = Portal.CallsTo((string)patch["method"]).Last().Parameters;
                if (patch["fields"] != null) Assert.Equal(Normal(patch["fields"]), Normal(sent["fields"]));
                if (patch["rows"] != null) Assert.Equal(Normal(patch["rows"]), Normal(sent["rows"]));
            }
        }

        [Theory]
        [MemberData(nameof(Fixtures))]
        public void TheEmulatorAnswersWithTheDocumentedKeysAndTypes(string name)
        {
            var fixture = Load(name);
            var id = 0;
            if (fixture["seed"] is JObject seed)
            {
                id = Portal.AddRecord((string)seed["entity"], (JObject)seed["fields"]);
                if (seed["productRows"] is JArray rows) Call("crm.deal.productrows.set", new JObject { ["id"] = id, ["rows"] = rows });
                // What the record needs to have for the method to answer (a comment, an activity): calls on it.
                foreach (var call in (seed["calls"] as JArray ?? new JArray()).OfType<JObject>())
                    Call((string)call["method"], JObject.Parse(call["parameters"].ToString().Replace("\"{id}\"", id.ToString())));
            }
            var request = JObject.Parse(fixture["request"].ToString().Replace("{id}", id.ToString()));

            var answer = Call((string)fixture["method"], request);

            var lacks = (fixture["emulatorLacks"] as JObject)?.Properties().Select(p => p.Name).ToHashSet() ?? new HashSet<string>();
            var extra = (fixture["emulatorExtra"] as JObject)?.Properties().Select(p => p.Name).ToHashSet() ?? new HashSet<string>();
            var skip = (fixture["shapeOnly"] as JArray)?.Select(s => (string)s).ToHashSet() ?? new HashSet<string>();
            var documented = (JObject)fixture["answer"];
            var problems = new List<string>();
            var seenLacking = new HashSet<string>();
            Compare(documented["result"], answer["result"], "result", fixture["keyedByField"], lacks, extra, skip, problems, seenLacking);
            foreach (var key in new[] { "total", "next" })
                if (documented[key] != null && answer[key] == null) problems.Add($"the answer has no {key}");
            problems.AddRange(lacks.Except(seenLacking).Select(k => $"'{k}' is listed as not emulated, but the emulator answers it: take it off the list"));
            Assert.True(problems.Count == 0, $"{fixture["method"]} ({fixture["page"]}):\n" + string.Join("\n", problems));
        }

        /// <summary>Every method the module calls in an everyday session is in the conformance table.</summary>
        [Fact]
        public void EveryMethodTheModuleCallsIsInTheTable()
        {
            var table = File.ReadAllText(Path.Combine(Folder, "README.md"));
            var contact = Portal.AddRecord("contact", new JObject { ["NAME"] = "Anna" });
            var company = Portal.AddRecord("company", new JObject { ["TITLE"] = "Acme" });
            Portal.ClearLog();
            RunOk($@"
Connect-Bitrix24 -WebhookUrl $url
$lead = New-B24Lead -Title 'Table' -Phone '+1 555 0100'
Get-B24Lead -Id $lead.ID | Out-Null; Get-B24Lead -First 3 | Out-Null
Set-B24Lead -Id $lead.ID -Title 'Table 2'; Get-B24Lead -Id $lead.ID | Set-B24Lead -Title 'Piped'
Get-B24LeadContact -Id $lead.ID | Out-Null; Set-B24LeadContact -Id $lead.ID -ContactId {contact}
$deal = New-B24Deal -Title 'Table' -CategoryId 1; Set-B24Deal -Id $deal.ID -CategoryId 0 -StageId NEW
Set-B24DealProductRow -Id $deal.ID -Row @{{ PRODUCT_NAME = 'Chair'; PRICE = 1 }}; Get-B24DealProductRow -Id $deal.ID | Out-Null
Set-B24DealContact -Id $deal.ID -ContactId {contact}; Get-B24DealContact -Id $deal.ID | Out-Null
Set-B24ContactCompany -Id {contact} -CompanyId {company}; Get-B24ContactCompany -Id {contact} | Out-Null
Set-B24CompanyContact -Id {company} -ContactId {contact}; Get-B24CompanyContact -Id {company} | Out-Null
Get-B24ItemType | Out-Null; Get-B24Item -EntityTypeId 1032 -First 1 | Out-Null; Get-B24Status -EntityId SOURCE | Out-Null
Remove-B24Lead -Id $lead.ID -Confirm:$false; Remove-B24Deal -Id $deal.ID -Confirm:$false
Connect-Bitrix24 -WebhookUrl $url -Api Item
Get-B24Lead -First 1 | Out-Null; $n = New-B24Lead -Title 'Item'; Set-B24Lead -Id $n.ID -Title 'Item 2'; Remove-B24Lead -Id $n.ID -Confirm:$false
Test-Bitrix24Connection -IncludeWrite -Confirm:$false | Out-Null
Connect-Bitrix24 -WebhookUrl $url
$d = New-B24Deal -Title 'Timeline'; $d | Add-B24TimelineComment -Text 'one'; $d | Get-B24TimelineComment | Set-B24TimelineComment -Text 'two'
$d | Get-B24TimelineComment | Remove-B24TimelineComment -Confirm:$false
$t = $d | New-B24Todo -Deadline '2027-01-01T10:00:00+02:00' -Title 'Call' -ResponsibleId maria@example.com -PassThru
$t | Set-B24Activity -ResponsibleId 12 -Deadline '2027-01-02T10:00:00+02:00'; $t | Complete-B24Activity
(TabExpansion2 -inputScript 'Set-B24Lead -Id 1 -AssignedById ' -cursorColumn 32).CompletionMatches | Out-Null
", new Dictionary<string, object> { ["url"] = Server.WebhookUrl });

            var called = Portal.Calls.Select(c => c.Method).Distinct().OrderBy(m => m, StringComparer.Ordinal).ToList();
            // Method names are taken in any case (the emulator logs them in lower case).
            var missing = called.Where(m => table.IndexOf("`" + m + "`", StringComparison.OrdinalIgnoreCase) < 0).ToList();
            Assert.True(missing.Count == 0, "not in tests/Conformance/README.md: " + string.Join(", ", missing));
            Assert.True(called.Count >= 30, "the session called only " + string.Join(", ", called));
        }

        private JObject Call(string method, JObject parameters)
        {
            var response = Portal.Handle("POST", Portal.WebhookPath + method, "application/json", parameters.ToString(Formatting.None));
            Assert.Equal(200, response.Status);
            return JObject.Parse(response.Body);
        }

        private static string Normal(JToken token) =>
            token is JObject o ? "{" + string.Join(",", o.Properties().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + ":" + Normal(p.Value))) + "}"
            : token is JArray a ? "[" + string.Join(",", a.Select(Normal)) + "]"
            : token == null || token.Type == JTokenType.Null ? "null" : Convert.ToString(((JValue)token).Value, System.Globalization.CultureInfo.InvariantCulture);

        private static string Kind(JToken token) => token.Type switch
        {
            JTokenType.Integer or JTokenType.Float => "number",
            JTokenType.String or JTokenType.Date => "string",
            JTokenType.Boolean => "boolean",
            JTokenType.Array => "array",
            JTokenType.Object => "object",
            _ => "null",
        };

        private static bool IsCustom(string key) =>
            key.StartsWith("UF_", StringComparison.Ordinal) || key.StartsWith("PARENT_ID_", StringComparison.Ordinal)
            || key.StartsWith("ufCrm", StringComparison.Ordinal) || key.StartsWith("parentId", StringComparison.Ordinal);

        /// <summary>The emulator's <paramref name="actual"/> against the page's <paramref name="documented"/>: the same keys
        /// (custom fields, which differ by portal, aside) with the same kinds of value; null matches any kind.</summary>
        private static void Compare(JToken documented, JToken actual, string path, JToken keyedByField, HashSet<string> lacks, HashSet<string> extra,
                                    HashSet<string> skip, List<string> problems, HashSet<string> seenLacking)
        {
            if (actual == null) { problems.Add($"{path}: missing"); return; }
            if (skip.Contains(path) || documented.Type == JTokenType.Null || actual.Type == JTokenType.Null) return;
            if (Kind(documented) != Kind(actual)) { problems.Add($"{path}: {Kind(actual)} where the page shows {Kind(documented)}"); return; }
            if (documented is JArray docs && actual is JArray items)
            {
                if (docs.Count > 0 && items.Count > 0) Compare(docs[0], items[0], path + "[0]", null, lacks, extra, skip, problems, seenLacking);
                return;
            }
            if (!(documented is JObject doc) || !(actual is JObject mine)) return;
            // A fields map (crm.<entity>.fields): the portals' fields differ, so the fields both have are compared.
            var byField = keyedByField != null && keyedByField.Type == JTokenType.Boolean && (bool)keyedByField && path == "result"
                          || keyedByField?.Type == JTokenType.String && path == "result." + (string)keyedByField;
            foreach (var property in doc.Properties())
            {
                var theirs = mine[property.Name];
                if (theirs == null)
                {
                    if (byField || IsCustom(property.Name)) continue;
                    if (lacks.Contains(property.Name)) { seenLacking.Add(property.Name); continue; }
                    problems.Add($"{path}.{property.Name}: the page shows it, the emulator does not answer it");
                    continue;
                }
                Compare(property.Value, theirs, path + "." + property.Name, keyedByField, lacks, extra, skip, problems, seenLacking);
            }
            if (byField)
            {
                if (!doc.Properties().Any(p => mine[p.Name] != null)) problems.Add($"{path}: no field in common with the page");
                return;
            }
            foreach (var property in mine.Properties())
                if (doc[property.Name] == null && !IsCustom(property.Name) && !extra.Contains(property.Name))
                    problems.Add($"{path}.{property.Name}: the emulator answers it, the page does not show it");
        }
    }
}
