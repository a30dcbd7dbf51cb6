using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>
    /// crm.item.get/list/update/add/delete for leads (entityTypeId 1), served from the same lead store:
    /// camelCase names (STATUS_ID is stageId), multi-fields as <c>fm</c> ("n0" keys add, an id key with a
    /// value changes, with an empty value deletes), numbers and booleans as JSON numbers and booleans,
    /// no address fields. Custom fields keep their UF_ names (useOriginalUfNames=Y).
    /// </summary>
    internal sealed class ItemApi
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
        private static readonly Dictionary<string, string> ToUpper = Names.ToDictionary(n => n.Camel, n => n.Upper, StringComparer.OrdinalIgnoreCase);
        private static readonly Dictionary<string, string> ToCamel = Names.ToDictionary(n => n.Upper, n => n.Camel, StringComparer.OrdinalIgnoreCase);
        private static readonly HashSet<string> Integers = new HashSet<string> { "ID", "ASSIGNED_BY_ID", "CREATED_BY_ID", "MODIFY_BY_ID", "COMPANY_ID", "CONTACT_ID" };
        private static readonly HashSet<string> Booleans = new HashSet<string> { "OPENED", "IS_MANUAL_OPPORTUNITY", "IS_RETURN_CUSTOMER" };
        private static readonly string[] MultiFields = { "PHONE", "EMAIL", "WEB", "IM", "LINK" };
        private readonly LeadStore _leads;

        public ItemApi(LeadStore leads) => _leads = leads;

        public (JToken result, int? total, int? next) Dispatch(string method, JObject p)
        {
            var type = LeadStore.ToInt(p["entityTypeId"]?.ToString() ?? "");
            if (type != 1) throw new PortalError(400, "NOT_FOUND", "Smart process not found");
            switch (method)
            {
                case "crm.item.get":
                    return (Item(_leads.Get(new JObject { ["id"] = p["id"] })), null, null);
                case "crm.item.update":
                    _leads.Update(new JObject { ["id"] = p["id"], ["fields"] = LeadFields(p["fields"] as JObject) });
                    return (Item(_leads.Get(new JObject { ["id"] = p["id"] })), null, null);
                case "crm.item.add":
                    var id = _leads.Add(new JObject { ["fields"] = LeadFields(p["fields"] as JObject) });
                    return (Item(_leads.Get(new JObject { ["id"] = id })), null, null);
                case "crm.item.delete":
                    _leads.Delete(new JObject { ["id"] = p["id"] });
                    return (new JArray(), null, null);
                default:
                    var list = new JObject
                    {
                        ["filter"] = Translate(p["filter"] as JObject, key => key),
                        ["order"] = Translate(p["order"] as JObject, key => key),
                        ["select"] = new JArray((p["select"] as JArray ?? new JArray("*")).Select(s => Upper(s.ToString()))
                                                .Concat(new[] { "PHONE", "EMAIL", "WEB", "IM", "LINK" }).Distinct()),
                    };
                    if (p["start"] != null) list["start"] = p["start"];
                    var (rows, total, next) = _leads.List(list);
                    return (new JObject { ["items"] = new JArray(((JArray)rows).OfType<JObject>().Select(ToItem)) }, total, next);
            }
        }

        private JObject Item(JToken lead) => new JObject { ["item"] = ToItem((JObject)lead) };

        private static string Upper(string camel)
        {
            if (camel == "*" || camel.StartsWith("UF_", StringComparison.OrdinalIgnoreCase)) return camel;
            return ToUpper.TryGetValue(camel, out var upper) ? upper : camel.ToUpperInvariant();
        }

        private static JObject Translate(JObject map, Func<string, string> _)
        {
            var result = new JObject();
            if (map == null) return result;
            foreach (var property in map.Properties())
            {
                var name = property.Name;
                var at = 0;
                while (at < name.Length && "<>=!@%".IndexOf(name[at]) >= 0) at++;
                result[name.Substring(0, at) + Upper(name.Substring(at))] = property.Value.DeepClone();
            }
            return result;
        }

        /// <summary>Item fields (camelCase, fm) as the lead store's fields (no address on this route).</summary>
        internal static JObject LeadFields(JObject fields)
        {
            var result = new JObject();
            if (fields == null) return result;
            foreach (var property in fields.Properties())
            {
                if (property.Name == "fm") { AddMultiFields(result, property.Value); continue; }
                if (property.Name.StartsWith("UF_", StringComparison.OrdinalIgnoreCase)) { result[property.Name] = property.Value.DeepClone(); continue; }
                if (!ToUpper.TryGetValue(property.Name, out var upper)) continue;   // unknown: ignored, as the portal does
                var value = property.Value;
                result[upper] = value.Type == JTokenType.Boolean ? new JValue((bool)value ? "Y" : "N") : value.DeepClone();
            }
            return result;
        }

        private static void AddMultiFields(JObject result, JToken fm)
        {
            var entries = fm is JObject keyed ? keyed.Properties().Select(p => (Key: p.Name, Entry: p.Value as JObject))
                        : fm is JArray list ? list.Select((e, i) => (Key: (string)e["id"] ?? "n" + i, Entry: e as JObject))
                        : Enumerable.Empty<(string, JObject)>();
            foreach (var (key, entry) in entries)
            {
                if (entry == null) continue;
                var type = ((string)entry["typeId"] ?? "").ToUpperInvariant();
                if (Array.IndexOf(MultiFields, type) < 0) continue;
                // Assign a new list once: setting a token that already has a parent stores a copy.
                if (!(result[type] is JArray target)) { target = new JArray(); result[type] = target; }
                var value = (string)entry["value"] ?? "";
                if (key.StartsWith("n", StringComparison.Ordinal)) target.Add(new JObject { ["VALUE"] = value, ["VALUE_TYPE"] = (string)entry["valueType"] ?? "WORK" });
                else if (value.Length == 0) target.Add(new JObject { ["ID"] = key, ["DELETE"] = "Y" });
                else target.Add(new JObject { ["ID"] = key, ["VALUE"] = value, ["VALUE_TYPE"] = (string)entry["valueType"] });
            }
        }

        /// <summary>A stored lead as crm.item returns it.</summary>
        private static JObject ToItem(JObject lead)
        {
            var item = new JObject();
            var fm = new JArray();
            foreach (var property in lead.Properties())
            {
                var name = property.Name;
                if (LeadFieldSchema.AddressParts.Contains(name)) continue;
                if (Array.IndexOf(MultiFields, name) >= 0)
                {
                    foreach (var entry in (property.Value as JArray ?? new JArray()).OfType<JObject>())
                        fm.Add(new JObject
                        {
                            ["id"] = LeadStore.ToInt((string)entry["ID"]), ["typeId"] = name,
                            ["valueType"] = entry["VALUE_TYPE"], ["value"] = entry["VALUE"],
                        });
                    continue;
                }
                if (name.StartsWith("UF_", StringComparison.Ordinal)) { item[name] = property.Value.DeepClone(); continue; }
                if (!ToCamel.TryGetValue(name, out var camel)) continue;
                var value = property.Value;
                var text = value.Type == JTokenType.Null ? null : value.ToString();
                if (name == "CONTACT_IDS") item[camel] = new JArray((value as JArray ?? new JArray()).Select(v => (object)LeadStore.ToInt(v.ToString())).ToArray());
                else if (text == null) item[camel] = null;
                else if (Integers.Contains(name)) item[camel] = LeadStore.ToInt(text);
                else if (Booleans.Contains(name)) item[camel] = text == "Y";
                else if (name == "OPPORTUNITY") item[camel] = double.Parse(text, CultureInfo.InvariantCulture);
                else item[camel] = text;
            }
            item["fm"] = fm;
            return item;
        }
    }
}
