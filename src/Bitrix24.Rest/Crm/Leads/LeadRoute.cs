using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm.Leads
{
    /// <summary>Which REST methods the lead cmdlets use.</summary>
    public enum LeadApi
    {
        /// <summary>crm.lead.get/list/update/add/delete (marked deprecated by Bitrix24; the default).</summary>
        Lead,
        /// <summary>crm.item.* with entityTypeId 1: the successor, with camelCase names and no address fields.</summary>
        Item,
    }

    /// <summary>
    /// Builds requests for one API route and reads its answers back into the lead route's shape (API
    /// field names in capitals, values as strings), so everything above it — lead objects, patches,
    /// validation, scripts — is the same on both routes.
    /// </summary>
    internal abstract class LeadRoute
    {
        public static readonly LeadRoute Lead = new LeadMethods();
        public static readonly LeadRoute Item = new ItemMethods();

        public static LeadRoute For(Connections.Bitrix24Connection connection) => connection.LeadApi == LeadApi.Item ? Item : Lead;

        public abstract string Get { get; }
        public abstract string List { get; }
        public abstract string Update { get; }
        public abstract string Add { get; }
        public abstract string Delete { get; }

        public abstract JObject GetParameters(int id);
        public abstract JObject UpdateParameters(JObject leadUpdateParameters);
        /// <summary>True when <see cref="UpdateParameters"/> passes the lead route's parameters unchanged, so a
        /// patch can write itself into a batch command.</summary>
        public virtual bool UpdatesTakeLeadParameters => false;
        public abstract JObject AddParameters(JObject leadAddParameters);
        public abstract JObject DeleteParameters(int id);
        /// <summary>List parameters from lead-route names (filter keys may carry operator prefixes).</summary>
        public abstract JObject ListParameters(JObject filter, JArray select, JObject order, int start);
        /// <summary>The batch reference to the ID of row <paramref name="row"/> of an earlier list command.</summary>
        public abstract string RowIdReference(string command, int row);

        public abstract JObject ReadLead(JToken result);
        public abstract List<JObject> ReadRows(JToken result);
        public abstract int? ReadNewId(JToken result);

        private sealed class LeadMethods : LeadRoute
        {
            public override string Get => "crm.lead.get";
            public override string List => "crm.lead.list";
            public override string Update => "crm.lead.update";
            public override string Add => "crm.lead.add";
            public override string Delete => "crm.lead.delete";
            public override JObject GetParameters(int id) => new JObject { ["id"] = id };
            public override JObject UpdateParameters(JObject p) => p;
            public override bool UpdatesTakeLeadParameters => true;
            public override JObject AddParameters(JObject p) => p;
            public override JObject DeleteParameters(int id) => new JObject { ["id"] = id };
            public override JObject ListParameters(JObject filter, JArray select, JObject order, int start) =>
                new JObject { ["filter"] = filter, ["select"] = select, ["order"] = order, ["start"] = start };
            public override string RowIdReference(string command, int row) => $"$result[{command}][{row}][ID]";
            public override JObject ReadLead(JToken result) => result as JObject;
            public override List<JObject> ReadRows(JToken result) => (result as JArray)?.OfType<JObject>().ToList() ?? new List<JObject>();
            public override int? ReadNewId(JToken result) => result != null && int.TryParse(result.ToString(), out var id) ? id : (int?)null;
        }

        private sealed class ItemMethods : LeadRoute
        {
            private static readonly (string Upper, string Camel)[] Names =
            {
                ("ID", "id"), ("TITLE", "title"), ("HONORIFIC", "honorific"), ("NAME", "name"), ("SECOND_NAME", "secondName"),
                ("LAST_NAME", "lastName"), ("BIRTHDATE", "birthdate"), ("COMPANY_TITLE", "companyTitle"), ("SOURCE_ID", "sourceId"),
                ("SOURCE_DESCRIPTION", "sourceDescription"), ("STATUS_ID", "stageId"), ("STATUS_DESCRIPTION", "statusDescription"),
                ("STATUS_SEMANTIC_ID", "stageSemanticId"), ("POST", "post"), ("COMMENTS", "comments"), ("CURRENCY_ID", "currencyId"),
                ("OPPORTUNITY", "opportunity"), ("IS_MANUAL_OPPORTUNITY", "isManualOpportunity"), ("OPENED", "opened"),
                ("ASSIGNED_BY_ID", "assignedById"), ("CREATED_BY_ID", "createdBy"), ("MODIFY_BY_ID", "updatedBy"),
                ("DATE_CREATE", "createdTime"), ("DATE_MODIFY", "updatedTime"), ("DATE_CLOSED", "closedate"), ("COMPANY_ID", "companyId"),
                ("CONTACT_ID", "contactId"), ("CONTACT_IDS", "contactIds"), ("IS_RETURN_CUSTOMER", "isReturnCustomer"),
                ("ORIGINATOR_ID", "originatorId"), ("ORIGIN_ID", "originId"), ("UTM_SOURCE", "utmSource"), ("UTM_MEDIUM", "utmMedium"),
                ("UTM_CAMPAIGN", "utmCampaign"), ("UTM_CONTENT", "utmContent"), ("UTM_TERM", "utmTerm"),
            };
            private static readonly Dictionary<string, string> ToCamel = Names.ToDictionary(n => n.Upper, n => n.Camel, StringComparer.OrdinalIgnoreCase);
            private static readonly Dictionary<string, string> ToUpper = Names.ToDictionary(n => n.Camel, n => n.Upper, StringComparer.Ordinal);

            public override string Get => "crm.item.get";
            public override string List => "crm.item.list";
            public override string Update => "crm.item.update";
            public override string Add => "crm.item.add";
            public override string Delete => "crm.item.delete";

            private static JObject Base() => new JObject { ["entityTypeId"] = 1, ["useOriginalUfNames"] = "Y" };

            public override JObject GetParameters(int id) { var p = Base(); p["id"] = id; return p; }
            public override JObject DeleteParameters(int id) { var p = Base(); p["id"] = id; return p; }

            public override JObject UpdateParameters(JObject lead)
            {
                var p = Base();
                p["id"] = lead["id"];
                p["fields"] = ItemFields((JObject)lead["fields"]);
                return p;
            }

            public override JObject AddParameters(JObject lead)
            {
                var p = Base();
                p["fields"] = ItemFields((JObject)lead["fields"]);
                return p;
            }

            public override JObject ListParameters(JObject filter, JArray select, JObject order, int start)
            {
                var p = Base();
                p["filter"] = Rename(filter);
                p["select"] = new JArray(select.Select(s => s.ToString() == "*" || s.ToString().StartsWith("UF_", StringComparison.OrdinalIgnoreCase)
                                                       ? s.ToString() : Camel(s.ToString())).Where(s => s != null));
                p["order"] = Rename(order);
                p["start"] = start;
                return p;
            }

            public override string RowIdReference(string command, int row) => $"$result[{command}][items][{row}][id]";

            public override JObject ReadLead(JToken result) => result?["item"] is JObject item ? LeadShape(item) : null;

            public override List<JObject> ReadRows(JToken result) =>
                (result?["items"] as JArray)?.OfType<JObject>().Select(LeadShape).ToList() ?? new List<JObject>();

            public override int? ReadNewId(JToken result) => (int?)result?["item"]?["id"];

            private static string Camel(string upper) =>
                ToCamel.TryGetValue(upper, out var camel) ? camel : LeadFieldCatalog.MultiFieldNames.Contains(upper) ? null : upper;

            private static JObject Rename(JObject map)
            {
                var result = new JObject();
                foreach (var property in map?.Properties() ?? Enumerable.Empty<JProperty>())
                {
                    var at = 0;
                    while (at < property.Name.Length && "<>=!@%".IndexOf(property.Name[at]) >= 0) at++;
                    var name = property.Name.Substring(at);
                    result[property.Name.Substring(0, at) + (name.StartsWith("UF_", StringComparison.OrdinalIgnoreCase) ? name : Camel(name.ToUpperInvariant()) ?? name)] = property.Value.DeepClone();
                }
                return result;
            }

            /// <summary>Lead fields as item fields: camelCase names, multi-fields as fm
            /// ("n0" keys add; an id key with a value changes it; with an empty value deletes it).</summary>
            private static JObject ItemFields(JObject fields)
            {
                var result = new JObject();
                var fm = new JObject();
                var added = 0;
                foreach (var property in fields.Properties())
                {
                    var name = property.Name;
                    if (LeadFieldCatalog.MultiFieldNames.Contains(name))
                    {
                        foreach (var entry in (property.Value as JArray ?? new JArray()).OfType<JObject>())
                        {
                            var id = (string)entry["ID"];
                            var value = (string)entry["DELETE"] == "Y" ? "" : (string)entry["VALUE"] ?? "";
                            var item = new JObject { ["typeId"] = name, ["value"] = value };
                            if (entry["VALUE_TYPE"] != null) item["valueType"] = entry["VALUE_TYPE"];
                            fm[id ?? "n" + (added++).ToString(CultureInfo.InvariantCulture)] = item;
                        }
                        continue;
                    }
                    var value2 = property.Value;
                    var target = name.StartsWith("UF_", StringComparison.OrdinalIgnoreCase) ? name : Camel(name);
                    if (target == null) continue;
                    // Y/N fields stay "Y"/"N": the docs list those values for crm.item too, and unlike
                    // JSON booleans they survive a batch command's query string.
                    result[target] = value2.DeepClone();
                }
                if (fm.HasValues) result["fm"] = fm;
                return result;
            }

            /// <summary>An item as the lead route returns a lead: capital names, values as strings.</summary>
            private static JObject LeadShape(JObject item)
            {
                var lead = new JObject();
                foreach (var property in item.Properties())
                {
                    if (property.Name == "fm")
                    {
                        foreach (var entry in (property.Value as JArray ?? new JArray()).OfType<JObject>())
                        {
                            var type = ((string)entry["typeId"] ?? "").ToUpperInvariant();
                            if (!LeadFieldCatalog.MultiFieldNames.Contains(type)) continue;
                            // Assign a new list once: setting a token that already has a parent stores a copy.
                            if (!(lead[type] is JArray list)) { list = new JArray(); lead[type] = list; }
                            list.Add(new JObject { ["ID"] = entry["id"]?.ToString(), ["VALUE_TYPE"] = (string)entry["valueType"], ["VALUE"] = (string)entry["value"], ["TYPE_ID"] = type });
                        }
                        continue;
                    }
                    var name = property.Name.StartsWith("UF_", StringComparison.OrdinalIgnoreCase) ? property.Name
                             : ToUpper.TryGetValue(property.Name, out var upper) ? upper : null;
                    if (name == null) continue;
                    var value = property.Value;
                    lead[name] = value.Type == JTokenType.Boolean ? new JValue((bool)value ? "Y" : "N")
                               : value.Type == JTokenType.Integer || value.Type == JTokenType.Float ? new JValue(Convert.ToString(((JValue)value).Value, CultureInfo.InvariantCulture))
                               : value is JArray array && name == "CONTACT_IDS" ? new JArray(array.Select(v => v.ToString()))
                               : value.DeepClone();
                }
                return lead;
            }
        }
    }
}
