using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Diagnostics
{
    /// <summary>One assumption the module makes about a portal, checked on a real one.</summary>
    public sealed class PortalCheck
    {
        public PortalCheck(string name, bool passed, string seen, string docPage)
        {
            Name = name;
            Passed = passed;
            Seen = seen;
            DocPage = docPage;
        }

        public string Name { get; }
        public bool Passed { get; }
        /// <summary>What the portal answered, in a line.</summary>
        public string Seen { get; }
        /// <summary>The page of the REST docs (inside bitrix24/b24restdocs) that says what the module expects.</summary>
        public string DocPage { get; }
        public override string ToString() => $"{(Passed ? "passed" : "FAILED")} {Name}: {Seen}";
    }

    /// <summary>
    /// Checks, on the user's own portal, what the module relies on and the docs state: the credential's scopes,
    /// the answer's time block, field descriptors and flags, pipelines with their stage directories, crm.item's
    /// names and multi-fields, list paging, the batch answer, user paging. With writes: a throwaway lead and deal
    /// are created, changed (multi-field add and delete, a pipeline move) and deleted. Every check reports what
    /// it saw; a failed call fails its check and the others go on.
    /// </summary>
    public sealed class PortalChecks
    {
        /// <summary>The title of the records the write checks create (and delete), so a leftover is recognised.</summary>
        public const string TestTitle = "Bitrix24.PowerShell self-check";
        private readonly Bitrix24Client _client;
        private readonly CancellationToken _cancellation;
        private readonly Action<string> _log;

        public PortalChecks(Bitrix24Client client, CancellationToken cancellation, Action<string> log = null)
        {
            _client = client;
            _cancellation = cancellation;
            _log = log;
        }

        /// <summary>The read-only checks, in order, each run on a <see cref="PortalChecks"/> of the caller's.</summary>
        public static IReadOnlyList<Func<PortalChecks, Task<PortalCheck>>> ReadChecks { get; } = new Func<PortalChecks, Task<PortalCheck>>[]
        {
            c => c.Scopes(), c => c.TimeBlock(), c => c.FieldDescriptors(), c => c.DealPipelineImmutable(), c => c.PipelinesAndStages(),
            c => c.ItemFieldNames(), c => c.ItemMultiFields(), c => c.ListPaging(), c => c.BatchShape(), c => c.UserPaging(),
        };

        private async Task<JToken> Call(string method, JObject parameters) => (await CallFull(method, parameters).ConfigureAwait(false)).Result;

        private async Task<Bitrix24Response> CallFull(string method, JObject parameters) =>
            await _client.CallAsync(method, parameters ?? new JObject(), _cancellation, _log).ConfigureAwait(false);

        /// <summary>Runs a check; a portal error fails it with the portal's words.</summary>
        private static async Task<PortalCheck> Guard(string name, string page, Func<Task<PortalCheck>> check)
        {
            try { return await check().ConfigureAwait(false); }
            catch (Bitrix24Exception ex) when (!ex.IsTransient) { return new PortalCheck(name, false, $"{ex.Method} failed: {ex.Message}", page); }
        }

        private Task<PortalCheck> Scopes() => Guard("Credential.Scopes", "common/system/scope.md", async () =>
        {
            var scopes = ((await Call("scope", null).ConfigureAwait(false)) as JArray ?? new JArray()).Select(s => s.ToString()).ToList();
            var hasCrm = scopes.Contains("crm");
            var hasUser = scopes.Any(s => s == "user" || s == "user_brief" || s == "user_basic");
            var seen = "scopes: " + (scopes.Count == 0 ? "(none)" : string.Join(", ", scopes));
            if (!hasCrm) seen += "; crm is missing: the CRM cmdlets cannot work";
            else if (!hasUser) seen += "; no user scope: user lookup and completion are off";
            return new PortalCheck("Credential.Scopes", hasCrm, seen, "common/system/scope.md");
        });

        private Task<PortalCheck> TimeBlock() => Guard("Answer.TimeBlock", "settings/performance/limits.md", async () =>
        {
            var answer = await CallFull("crm.lead.fields", null).ConfigureAwait(false);
            var time = answer.Time;
            if (time == null) return new PortalCheck("Answer.TimeBlock", false, "the answer has no time block: the operating-time budget cannot be followed", "settings/performance/limits.md");
            var operating = time["operating"] != null && time["operating_reset_at"] != null;
            return new PortalCheck("Answer.TimeBlock", time["start"] != null && time["finish"] != null,
                operating ? $"time block with operating {time["operating"]} s, reset at {time["operating_reset_at"]}"
                          : "time block without operating/operating_reset_at (the budget is then read from refusals only)",
                "settings/performance/limits.md");
        });

        private static readonly string[] DescriptorKeys = { "type", "isRequired", "isReadOnly", "isImmutable", "isMultiple" };

        private Task<PortalCheck> FieldDescriptors() => Guard("Fields.Descriptors", "crm/leads/crm-lead-fields.md", async () =>
        {
            var fields = await Call("crm.lead.fields", null).ConfigureAwait(false) as JObject ?? new JObject();
            var lacking = fields.Properties().Where(p => !(p.Value is JObject d) || DescriptorKeys.Any(k => d[k] == null)).Select(p => p.Name).ToList();
            var flags = fields.Properties().Select(p => p.Value as JObject).Where(d => d != null);
            return new PortalCheck("Fields.Descriptors", fields.Count > 0 && lacking.Count == 0,
                lacking.Count > 0 ? $"{lacking.Count} of {fields.Count} lead fields lack {string.Join("/", DescriptorKeys)}: {string.Join(", ", lacking.Take(5))}"
                                  : $"{fields.Count} lead fields, each with type and flags ({flags.Count(d => (bool?)d["isReadOnly"] == true)} read-only)",
                "crm/leads/crm-lead-fields.md");
        });

        private Task<PortalCheck> DealPipelineImmutable() => Guard("Fields.DealPipelineImmutable", "crm/deals/crm-deal-fields.md", async () =>
        {
            var fields = await Call("crm.deal.fields", null).ConfigureAwait(false) as JObject ?? new JObject();
            var category = fields["CATEGORY_ID"] as JObject;
            var immutable = (bool?)category?["isImmutable"] == true;
            return new PortalCheck("Fields.DealPipelineImmutable", immutable,
                category == null ? "crm.deal.fields has no CATEGORY_ID"
                : $"CATEGORY_ID isImmutable {(immutable ? "true: set on add, moved by crm.item.update" : "false, which the docs do not say")}",
                "crm/deals/crm-deal-fields.md");
        });

        private Task<PortalCheck> PipelinesAndStages() => Guard("Stages.Pipelines", "crm/universal/category/crm-category-list.md", async () =>
        {
            var categories = ((await Call("crm.category.list", new JObject { ["entityTypeId"] = 2 }).ConfigureAwait(false))?["categories"] as JArray ?? new JArray())
                             .OfType<JObject>().ToList();
            var statuses = (await Call("crm.status.list", null).ConfigureAwait(false) as JArray ?? new JArray()).OfType<JObject>().ToList();
            var empty = new List<string>();
            foreach (var category in categories)
            {
                var id = (int?)category["id"] ?? 0;
                var directory = id == 0 ? "DEAL_STAGE" : "DEAL_STAGE_" + id.ToString(CultureInfo.InvariantCulture);
                if (!statuses.Any(s => (string)s["ENTITY_ID"] == directory)) empty.Add($"{id} ({category["name"]}) has no {directory}");
            }
            return new PortalCheck("Stages.Pipelines", categories.Count > 0 && empty.Count == 0,
                categories.Count == 0 ? "crm.category.list answered no deal pipelines"
                : empty.Count > 0 ? string.Join("; ", empty)
                : $"{categories.Count} deal pipeline(s), each with its stages ({string.Join(", ", categories.Select(c => (string)c["name"]))})",
                "crm/universal/category/crm-category-list.md, crm/status/crm-status-list.md");
        });

        private Task<PortalCheck> ItemFieldNames() => Guard("Item.FieldNames", "crm/universal/crm-item-fields.md", async () =>
        {
            var fields = (await Call("crm.item.fields", new JObject { ["entityTypeId"] = 1 }).ConfigureAwait(false))?["fields"] as JObject ?? new JObject();
            var stage = (string)fields["stageId"]?["upperName"];
            var title = (string)fields["title"]?["upperName"];
            var passed = stage == "STATUS_ID" && title == "TITLE";
            return new PortalCheck("Item.FieldNames", passed,
                passed ? $"{fields.Count} lead fields by camelCase name with upperName (stageId = STATUS_ID)"
                       : $"stageId's upperName is {stage ?? "missing"}, title's is {title ?? "missing"}: -Api Item cannot map names",
                "crm/universal/crm-item-fields.md");
        });

        private Task<PortalCheck> ItemMultiFields() => Guard("Item.MultiFields", "crm/universal/crm-item-list.md", async () =>
        {
            var items = ((await Call("crm.item.list", new JObject { ["entityTypeId"] = 3, ["select"] = new JArray("*") })
                .ConfigureAwait(false))?["items"] as JArray ?? new JArray()).OfType<JObject>().ToList();
            if (items.Count == 0) return new PortalCheck("Item.MultiFields", true, "no contact to look at (nothing to contradict the docs)", "crm/universal/crm-item-list.md");
            var withFm = items.Count(i => i["fm"] is JArray);
            var entries = items.SelectMany(i => i["fm"] as JArray ?? new JArray()).OfType<JObject>().ToList();
            var whole = entries.All(e => e["id"] != null && e["typeId"] != null && e["value"] != null);
            return new PortalCheck("Item.MultiFields", withFm == items.Count && whole,
                $"{withFm} of {items.Count} contacts came with fm ({entries.Count} entries{(whole ? " with id, typeId, value" : ", some lacking id, typeId or value")})",
                "crm/universal/crm-item-list.md");
        });

        private Task<PortalCheck> ListPaging() => Guard("List.Paging", "settings/performance/huge-data.md", async () =>
        {
            var answer = await CallFull("crm.lead.list", new JObject { ["order"] = new JObject { ["ID"] = "ASC" }, ["select"] = new JArray("ID"), ["start"] = -1 }).ConfigureAwait(false);
            var rows = answer.Result as JArray;
            var passed = rows != null && rows.Count <= 50 && answer.Next == null;
            return new PortalCheck("List.Paging", passed,
                rows == null ? "crm.lead.list did not answer a list"
                : $"start=-1: {rows.Count} row(s), next {(answer.Next == null ? "absent" : answer.Next.ToString())}, total {(answer.Total == null ? "absent" : answer.Total.ToString())}",
                "settings/performance/huge-data.md, crm/leads/crm-lead-list.md");
        });

        private Task<PortalCheck> BatchShape() => Guard("Batch.Shape", "settings/how-to-call-rest-api/batch.md", async () =>
        {
            var answer = await Call("batch", new JObject
            {
                ["halt"] = 0,
                ["cmd"] = new JObject { ["good"] = "crm.lead.list?select[]=ID&start=-1", ["bad"] = "crm.lead.get?id=0" },
            }).ConfigureAwait(false) as JObject;
            var good = answer?["result"]?["good"];
            var bad = answer?["result_error"]?["bad"] as JObject;
            var passed = good is JArray && bad != null && bad["error_description"] != null && answer["result_time"] is JObject;
            return new PortalCheck("Batch.Shape", passed,
                passed ? $"result, result_error ({Shorten((string)bad["error_description"], 30)}) and result_time by name"
                       : $"unexpected batch answer: {Shorten(answer?.ToString(Newtonsoft.Json.Formatting.None) ?? "(none)")}",
                "settings/how-to-call-rest-api/batch.md");
        });

        private Task<PortalCheck> UserPaging() => Guard("Users.Paging", "user/user-get.md", async () =>
        {
            var answer = await CallFull("user.get", new JObject { ["FILTER"] = new JObject { ["ACTIVE"] = true } }).ConfigureAwait(false);
            var users = answer.Result as JArray;
            var passed = users != null && users.Count <= 50 && answer.Total != null;
            return new PortalCheck("Users.Paging", passed,
                users == null ? "user.get did not answer a list" : $"{users.Count} active user(s) on the first page of {answer.Total?.ToString() ?? "an uncounted"} total",
                "user/user-get.md");
        });

        // ---- with writes ----------------------------------------------------------------------------

        /// <summary>
        /// Creates a lead with a phone and changes it (title, a second phone added, the first deleted), creates a deal
        /// and checks that crm.deal.update leaves its pipeline while crm.item.update moves it, then deletes both.
        /// The records are deleted whatever the checks found.
        /// </summary>
        public async Task<IList<PortalCheck>> WriteChecksAsync()
        {
            var results = new List<PortalCheck>();
            int? lead = null, deal = null;
            try
            {
                results.Add(await Guard("Write.LeadUpdate", "crm/leads/crm-lead-update.md", async () =>
                {
                    lead = (int?)ToInt(await Call("crm.lead.add", new JObject
                    {
                        ["fields"] = new JObject { ["TITLE"] = TestTitle, ["PHONE"] = new JArray(new JObject { ["VALUE"] = "+10000000001", ["VALUE_TYPE"] = "WORK" }) },
                    }).ConfigureAwait(false));
                    await Call("crm.lead.update", new JObject { ["id"] = lead, ["fields"] = new JObject { ["TITLE"] = TestTitle + " (changed)" } }).ConfigureAwait(false);
                    var read = await Call("crm.lead.get", new JObject { ["id"] = lead }).ConfigureAwait(false);
                    var title = (string)read?["TITLE"];
                    return new PortalCheck("Write.LeadUpdate", title == TestTitle + " (changed)",
                        title == TestTitle + " (changed)" ? $"lead {lead} created; the new title read back" : $"lead {lead} created; its title read back as '{title}'",
                        "crm/leads/crm-lead-update.md");
                }).ConfigureAwait(false));

                if (lead != null)
                    results.Add(await Guard("Write.MultiFields", "crm/leads/crm-lead-update.md", async () =>
                    {
                        var before = (await Call("crm.lead.get", new JObject { ["id"] = lead }).ConfigureAwait(false))?["PHONE"] as JArray ?? new JArray();
                        var first = (string)before.FirstOrDefault()?["ID"];
                        await Call("crm.lead.update", new JObject { ["id"] = lead, ["fields"] = new JObject { ["PHONE"] = new JArray(new JObject { ["VALUE"] = "+10000000002", ["VALUE_TYPE"] = "MOBILE" }) } }).ConfigureAwait(false);
                        var added = (await Call("crm.lead.get", new JObject { ["id"] = lead }).ConfigureAwait(false))?["PHONE"] as JArray ?? new JArray();
                        await Call("crm.lead.update", new JObject { ["id"] = lead, ["fields"] = new JObject { ["PHONE"] = new JArray(new JObject { ["ID"] = first, ["DELETE"] = "Y" }) } }).ConfigureAwait(false);
                        var after = ((await Call("crm.lead.get", new JObject { ["id"] = lead }).ConfigureAwait(false))?["PHONE"] as JArray ?? new JArray())
                                    .Select(p => (string)p["VALUE"]).ToList();
                        var passed = first != null && added.Count == 2 && after.SequenceEqual(new[] { "+10000000002" });
                        return new PortalCheck("Write.MultiFields", passed,
                            $"added without ID ({before.Count} -> {added.Count} phones); ID {first} deleted (left: {string.Join(", ", after)})",
                            "crm/leads/crm-lead-update.md, crm/data-types.md");
                    }).ConfigureAwait(false));

                results.Add(await Guard("Write.DealPipelineMove", "crm/deals/crm-deal-update.md", async () =>
                {
                    var categories = ((await Call("crm.category.list", new JObject { ["entityTypeId"] = 2 }).ConfigureAwait(false))?["categories"] as JArray ?? new JArray())
                                     .Select(c => (int?)c["id"] ?? 0).ToList();
                    var other = categories.FirstOrDefault(c => c != 0);
                    deal = (int?)ToInt(await Call("crm.deal.add", new JObject { ["fields"] = new JObject { ["TITLE"] = TestTitle, ["CATEGORY_ID"] = 0 } }).ConfigureAwait(false));
                    if (other == 0) return new PortalCheck("Write.DealPipelineMove", true, $"deal {deal} created; the portal has one deal pipeline, so no move was tried", "crm/deals/crm-deal-update.md");
                    await Call("crm.deal.update", new JObject { ["id"] = deal, ["fields"] = new JObject { ["CATEGORY_ID"] = other } }).ConfigureAwait(false);
                    var afterUpdate = (string)(await Call("crm.deal.get", new JObject { ["id"] = deal }).ConfigureAwait(false))?["CATEGORY_ID"];
                    await Call("crm.item.update", new JObject { ["entityTypeId"] = 2, ["id"] = deal, ["fields"] = new JObject { ["categoryId"] = other } }).ConfigureAwait(false);
                    var moved = await Call("crm.deal.get", new JObject { ["id"] = deal }).ConfigureAwait(false);
                    var otherText = other.ToString(CultureInfo.InvariantCulture);
                    var passed = afterUpdate == "0" && (string)moved?["CATEGORY_ID"] == otherText && ((string)moved?["STAGE_ID"] ?? "").StartsWith("C" + otherText + ":", StringComparison.Ordinal);
                    return new PortalCheck("Write.DealPipelineMove", passed,
                        $"deal {deal}: deal.update kept pipeline {afterUpdate}; item.update moved it to {moved?["CATEGORY_ID"]} ({moved?["STAGE_ID"]})",
                        "crm/deals/crm-deal-update.md");
                }).ConfigureAwait(false));
            }
            finally
            {
                results.Add(await Guard("Write.Cleanup", "crm/leads/crm-lead-delete.md", async () =>
                {
                    var deleted = new List<string>();
                    if (lead != null) { await Call("crm.lead.delete", new JObject { ["id"] = lead }).ConfigureAwait(false); deleted.Add("lead " + lead); }
                    if (deal != null) { await Call("crm.deal.delete", new JObject { ["id"] = deal }).ConfigureAwait(false); deleted.Add("deal " + deal); }
                    return new PortalCheck("Write.Cleanup", true, deleted.Count == 0 ? "nothing was created" : "deleted " + string.Join(" and ", deleted), "crm/leads/crm-lead-delete.md, crm/deals/crm-deal-delete.md");
                }).ConfigureAwait(false));
            }
            return results;
        }

        private static int? ToInt(JToken value) =>
            value != null && int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : (int?)null;

        private static string Shorten(string text, int length = 200) => text == null || text.Length <= length ? text : text.Substring(0, length) + "…";
    }
}
