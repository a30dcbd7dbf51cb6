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
            void Add(string entity, string statusId, string name, string semantics = null)
            {
                var entry = new JObject
                {
                    ["ID"] = (id++).ToString(),
                    ["ENTITY_ID"] = entity,
                    ["STATUS_ID"] = statusId,
                    ["NAME"] = name,
                    ["NAME_INIT"] = name,
                    ["SORT"] = (id * 10).ToString(),
                    ["SYSTEM"] = "Y",
                };
                if (semantics != null) entry["EXTRA"] = new JObject { ["SEMANTICS"] = semantics };
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
            if (type == 1 || type == 3 || type == 4) throw new PortalError(400, "ENTITY_TYPE_NOT_SUPPORTED", "Entity type is not supported");
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
            .Select((c, i) => new JObject { ["CURRENCY"] = c.Item1, ["FULL_NAME"] = c.Item2, ["BASE"] = c.Item3, ["SORT"] = ((i + 1) * 100).ToString(), ["AMOUNT"] = "1.0000", ["AMOUNT_CNT"] = 1 }));

        /// <summary>user.get: the portal's employees (ID, NAME, LAST_NAME, ACTIVE as the docs show them).</summary>
        public JToken Users() => new JArray(new[] { ("1", "Admin", "Adminov"), ("7", "Maria", "Ivanova"), ("12", "Pavel", "Smirnov") }
            .Select(u => new JObject { ["ID"] = u.Item1, ["ACTIVE"] = true, ["NAME"] = u.Item2, ["LAST_NAME"] = u.Item3, ["EMAIL"] = u.Item2.ToLowerInvariant() + "@example.com" }));

        public JToken List(JObject p)
        {
            var filter = p["filter"] as JObject;
            var entity = (string)filter?["ENTITY_ID"];
            return new JArray(_entries.Where(e => entity == null || (string)e["ENTITY_ID"] == entity).Select(e => e.DeepClone()));
        }
    }
}
