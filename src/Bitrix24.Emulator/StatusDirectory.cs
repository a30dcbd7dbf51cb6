using System;
using System.Globalization;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>crm.status.list: the directories of the demo portal (lead statuses, sources, deal stages per pipeline, types …).</summary>
    internal sealed class StatusDirectory
    {
        private readonly List<JObject> _entries = new List<JObject>();

        public StatusDirectory()
        {
            var id = 1;
            // Rows as crm/status/crm-status-list.md shows them: CATEGORY_ID is a stage's pipeline (null for the default one),
            // SEMANTICS is S or F for a final stage and null while in progress, EXTRA repeats it in words with the colour.
            void Add(string entity, string statusId, string name, string semantics = null)
            {
                var pipeline = PipelineOfDirectory(entity);
                var color = semantics == null ? null : semantics == "success" ? "#7BD500" : semantics == "failure" ? "#FF5752" : "#39A8EF";
                var entry = new JObject
                {
                    ["ID"] = (id++).ToString(),
                    ["ENTITY_ID"] = entity,
                    ["STATUS_ID"] = statusId,
                    ["NAME"] = name,
                    ["NAME_INIT"] = name,
                    ["SORT"] = (id * 10).ToString(),
                    ["SYSTEM"] = "Y",
                    ["CATEGORY_ID"] = pipeline,
                    ["COLOR"] = color,
                    ["SEMANTICS"] = semantics == "success" ? "S" : semantics == "failure" ? "F" : null,
                };
                if (semantics != null) entry["EXTRA"] = new JObject { ["SEMANTICS"] = semantics, ["COLOR"] = color };
                _entries.Add(entry);
            }
            Add("STATUS", "NEW", "Unassigned", "process");
            Add("STATUS", "IN_PROCESS", "In progress", "process");
            Add("STATUS", "PROCESSED", "Processed", "process");
            Add("STATUS", "JUNK", "Junk lead", "failure");
            Add("STATUS", "CONVERTED", "Good lead", "success");
            foreach (var source in new[] { ("CALL", "Call"), ("EMAIL", "E-Mail"), ("WEB", "Website"), ("ADVERTISING", "Advertising"),
                                           ("PARTNER", "Existing client"), ("RECOMMENDATION", "By recommendation"), ("OTHER", "Other") })
                Add("SOURCE", source.Item1, source.Item2);
            Add("HONORIFIC", "HNR_EN_1", "Mr.");
            Add("HONORIFIC", "HNR_EN_2", "Mrs.");
            foreach (var (stage, name, semantics) in DefaultStages) Add("DEAL_STAGE", stage, name, semantics);
            foreach (var (stage, name, semantics) in WholesaleStages) Add("DEAL_STAGE_1", stage, name, semantics);
            foreach (var type in new[] { ("SALE", "Sales"), ("COMPLEX", "Complex sale"), ("GOODS", "Sale of goods"), ("SERVICES", "Sale of services"), ("SERVICE", "After-sales service") })
                Add("DEAL_TYPE", type.Item1, type.Item2);
            // RECOMMENDATION is a custom type of this portal: crm-contact-update.md's example uses it.
            foreach (var type in new[] { ("CLIENT", "Clients"), ("SUPPLIER", "Suppliers"), ("PARTNER", "Partners"), ("OTHER", "Other"), ("RECOMMENDATION", "Recommended") })
                Add("CONTACT_TYPE", type.Item1, type.Item2);
            foreach (var type in new[] { ("CUSTOMER", "Client"), ("SUPPLIER", "Supplier"), ("COMPETITOR", "Competitor"), ("PARTNER", "Partner"), ("OTHER", "Other") })
                Add("COMPANY_TYPE", type.Item1, type.Item2);
            foreach (var industry in new[] { ("IT", "Information Technology"), ("TELECOM", "Telecommunication"), ("MANUFACTURING", "Manufacturing"),
                                             ("BANKING", "Banking Services"), ("CONSULTING", "Consulting"), ("FINANCE", "Finance"), ("OTHER", "Other") })
                Add("INDUSTRY", industry.Item1, industry.Item2);
            foreach (var size in new[] { ("EMPLOYEES_1", "fewer than 50"), ("EMPLOYEES_2", "50-250"), ("EMPLOYEES_3", "250-500"), ("EMPLOYEES_4", "over 500") })
                Add("EMPLOYEES", size.Item1, size.Item2);
            foreach (var (type, pipeline, code, name, semantics) in SmartProcessStages)
                Add($"DYNAMIC_{type}_STAGE_{pipeline}", SmartProcessStage(type, pipeline, code), name, semantics);
        }

        /// <summary>The pipeline of a stage directory: 1 for DEAL_STAGE_1, 8 for DYNAMIC_1032_STAGE_8; null otherwise.</summary>
        private static string PipelineOfDirectory(string entity)
        {
            var at = entity.LastIndexOf("_STAGE_", StringComparison.Ordinal);
            return at < 0 ? null : entity.Substring(at + 7);
        }

        private static readonly (string, string, string)[] DefaultStages =
        {
            ("NEW", "New", "process"), ("PREPARATION", "Preparing documents", "process"), ("PREPAYMENT_INVOICE", "Invoice", "process"),
            ("EXECUTING", "In progress", "process"), ("FINAL_INVOICE", "Final invoice", "process"), ("WON", "Deal won", "success"), ("LOSE", "Deal lost", "failure"),
        };

        private static readonly (string, string, string)[] WholesaleStages =
        {
            ("C1:NEW", "New", "process"), ("C1:PREPARATION", "Quote sent", "process"), ("C1:EXECUTING", "Delivery", "process"),
            ("C1:WON", "Won", "success"), ("C1:LOSE", "Lost", "failure"),
        };

        /// <summary>The smart processes' pipelines (crm.category.list) and stages (DYNAMIC_&lt;type&gt;_STAGE_&lt;pipeline&gt;).</summary>
        private static readonly (int Type, int Id, string Name)[] SmartProcessCategories =
        {
            (1032, 8, "Sales contracts"), (1032, 9, "Supply contracts"), (1036, 11, "Projects"),
        };

        private static readonly (int, int, string, string, string)[] SmartProcessStages =
        {
            (1032, 8, "NEW", "New", "process"), (1032, 8, "PREPARATION", "Drafting", "process"), (1032, 8, "CLIENT", "Signing", "process"),
            (1032, 8, "SUCCESS", "Signed", "success"), (1032, 8, "FAIL", "Cancelled", "failure"),
            (1032, 9, "NEW", "New", "process"), (1032, 9, "APPROVAL", "Approval", "process"),
            (1032, 9, "SUCCESS", "Signed", "success"), (1032, 9, "FAIL", "Cancelled", "failure"),
            (1036, 11, "NEW", "New", "process"), (1036, 11, "WORK", "In progress", "process"),
            (1036, 11, "SUCCESS", "Done", "success"), (1036, 11, "FAIL", "Dropped", "failure"),
        };

        public static (int Id, string Name)[] SmartProcessPipelines(int type) =>
            SmartProcessCategories.Where(c => c.Type == type).Select(c => (c.Id, c.Name)).ToArray();

        /// <summary>A smart-process stage id as the portal spells it: DT1032_8:NEW.</summary>
        public static string SmartProcessStage(int type, int pipeline, string code) => $"DT{type}_{pipeline}:{code}";

        /// <summary>The pipeline of a smart-process stage: DT1032_8:NEW is 8.</summary>
        public static int PipelineOfSmartProcessStage(string stage)
        {
            var underscore = stage?.IndexOf('_') ?? -1;
            var colon = stage?.IndexOf(':') ?? -1;
            return underscore > 0 && colon > underscore && int.TryParse(stage.Substring(underscore + 1, colon - underscore - 1), out var id) ? id : -1;
        }

        /// <summary>The pipeline of a deal stage: C1:NEW is pipeline 1, a stage without prefix the default (0).</summary>
        public static int PipelineOf(string stage)
        {
            var colon = stage?.IndexOf(':') ?? -1;
            return stage != null && stage.StartsWith("C") && colon > 1 && int.TryParse(stage.Substring(1, colon - 1), out var id) ? id : 0;
        }

        public static string FirstStage(int pipeline) => pipeline == 1 ? WholesaleStages[0].Item1 : DefaultStages[0].Item1;

        /// <summary>crm.category.list {entityTypeId: 2}: the deal pipelines ({categories: [{id, name, sort, entityTypeId, isDefault}]}).</summary>
        public JToken Categories(JObject p)
        {
            var type = RecordStore.ToInt(p["entityTypeId"]?.ToString() ?? "");
            // universal/category/index.md: leads have no pipelines; contacts and companies do (their default one here).
            if (type == 1) throw new PortalError(400, "ENTITY_TYPE_NOT_SUPPORTED", "Entity type is not supported");
            if (type == 3 || type == 4)
                return new JObject
                {
                    ["categories"] = new JArray(new JObject
                    {
                        ["id"] = 0, ["name"] = type == 3 ? "Contacts" : "Companies", ["sort"] = 100, ["entityTypeId"] = type, ["isDefault"] = "Y",
                    }),
                };
            if (type != 2)
            {
                var own = SmartProcessCategories.Where(c => c.Type == type).ToList();
                if (own.Count == 0) throw new PortalError(400, "NOT_FOUND", "Smart process not found");
                return new JObject
                {
                    ["categories"] = new JArray(own.Select((c, i) => new JObject
                    {
                        ["id"] = c.Id, ["name"] = c.Name, ["sort"] = (i + 1) * 100, ["entityTypeId"] = type, ["isDefault"] = i == 0 ? "Y" : "N",
                    })),
                };
            }
            return new JObject
            {
                ["categories"] = new JArray(
                    new JObject { ["id"] = 0, ["name"] = "General", ["sort"] = 100, ["entityTypeId"] = 2, ["isDefault"] = "Y" },
                    new JObject { ["id"] = 1, ["name"] = "Wholesale", ["sort"] = 200, ["entityTypeId"] = 2, ["isDefault"] = "N" }),
            };
        }

        /// <summary>crm.currency.list: the portal's currencies.</summary>
        public JToken Currencies() => new JArray(new[] { ("USD", "US Dollar", "Y"), ("EUR", "Euro", "N"), ("RUB", "Russian Ruble", "N"), ("UAH", "Hryvnia", "N"), ("KZT", "Tenge", "N") }
            .Select((c, i) => new JObject { ["CURRENCY"] = c.Item1, ["FULL_NAME"] = c.Item2, ["BASE"] = c.Item3, ["SORT"] = ((i + 1) * 100).ToString(), ["AMOUNT"] = "1.0000", ["AMOUNT_CNT"] = "1" }));

        private readonly List<JObject> _users = new[] { ("1", "Admin", "Adminov", true), ("7", "Maria", "Ivanova", true), ("12", "Pavel", "Smirnov", true), ("15", "Oleg", "Petrov", false) }
            .Select(u => User(u.Item1, u.Item2, u.Item3, u.Item2.ToLowerInvariant() + "@example.com", u.Item4)).ToList();

        // As user/user-get.md's example answer shows a user: ID as a string, ACTIVE as a boolean.
        private static JObject User(string id, string name, string lastName, string email, bool active) =>
            new JObject { ["ID"] = id, ["XML_ID"] = null, ["ACTIVE"] = active, ["NAME"] = name, ["LAST_NAME"] = lastName, ["SECOND_NAME"] = "", ["EMAIL"] = email,
                          ["USER_TYPE"] = "employee", ["UF_DEPARTMENT"] = new JArray(1) };

        /// <summary>Adds an employee (ids follow the last one); dismissed when not <paramref name="active"/>.</summary>
        public int AddUser(string name, string lastName, string email, bool active = true)
        {
            lock (_users)
            {
                var id = _users.Max(u => int.Parse((string)u["ID"], CultureInfo.InvariantCulture)) + 1;
                _users.Add(User(id.ToString(CultureInfo.InvariantCulture), name, lastName, email, active));
                return id;
            }
        }

        /// <summary>user.get (user/user-get.md): FILTER on user fields (exact, or with the %, @, != prefixes), ACTIVE = true
        /// leaves out dismissed users, NAME_SEARCH looks in names and e-mail; sorted by ID, 50 per page from start.</summary>
        public (JToken result, int? total, int? next) Users(JObject p)
        {
            var filter = (p["FILTER"] ?? p["filter"]) as JObject ?? new JObject();
            List<JObject> matched;
            lock (_users) matched = _users.Where(u => filter.Properties().All(c => UserMatches(u, c))).Select(u => (JObject)u.DeepClone()).ToList();
            var start = RecordStore.ToInt(p["start"]?.ToString() ?? "") ?? 0;
            if (start < 0) start = 0;
            var page = matched.Skip(start).Take(RecordStore.PageSize).ToList();
            int? next = start + RecordStore.PageSize < matched.Count ? start + RecordStore.PageSize : (int?)null;
            return (new JArray(page), matched.Count, next);
        }

        private static bool UserMatches(JObject user, JProperty condition)
        {
            var key = condition.Name;
            var op = key.StartsWith("!=", StringComparison.Ordinal) ? "!=" : key.Length > 0 && "%@!".IndexOf(key[0]) >= 0 ? key.Substring(0, 1) : "=";
            var field = key.Substring(op == "=" ? 0 : op.Length).ToUpperInvariant();
            var wanted = condition.Value is JArray many ? many.Select(v => v.ToString()).ToList() : new List<string> { condition.Value.ToString() };
            if (field == "ACTIVE")   // true (or Y, 1 from a query string) keeps active users only
                return !new[] { "true", "y", "1" }.Contains(wanted[0].ToLowerInvariant()) || (bool)user["ACTIVE"];
            if (field == "NAME_SEARCH")
                return new[] { "NAME", "LAST_NAME", "EMAIL" }.Any(f => ((string)user[f] ?? "").IndexOf(wanted[0], StringComparison.OrdinalIgnoreCase) >= 0);
            var actual = user[field]?.ToString() ?? "";
            switch (op)
            {
                case "%": return actual.IndexOf(wanted[0], StringComparison.OrdinalIgnoreCase) >= 0;
                case "!":
                case "!=": return wanted.All(w => !string.Equals(actual, w, StringComparison.OrdinalIgnoreCase));
                default: return wanted.Any(w => string.Equals(actual, w, StringComparison.OrdinalIgnoreCase));
            }
        }

        public JToken List(JObject p)
        {
            var filter = p["filter"] as JObject;
            var entity = (string)filter?["ENTITY_ID"];
            return new JArray(_entries.Where(e => entity == null || (string)e["ENTITY_ID"] == entity).Select(e => e.DeepClone()));
        }
    }
}
