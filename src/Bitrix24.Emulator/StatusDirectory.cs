using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>crm.status.list: the stage (STATUS) and source (SOURCE) directories of the demo portal.</summary>
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
