using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>Which REST methods the CRM cmdlets use.</summary>
    public enum CrmApi
    {
        /// <summary>crm.lead.*, crm.deal.*, crm.contact.*, crm.company.* (marked deprecated by Bitrix24; the default).</summary>
        Classic = 0,
        /// <summary>crm.item.* by entityTypeId: the successor, with camelCase names (no address fields for leads and contacts).</summary>
        Item = 1,
        /// <summary>The name <see cref="Classic"/> had when the module served leads only.</summary>
        Lead = Classic,
    }

    /// <summary>
    /// Builds requests for one entity on one API route and reads its answers back into the classic
    /// route's shape (API field names in capitals, values as strings), so everything above it — objects,
    /// patches, validation, scripts — is the same on both routes.
    /// </summary>
    internal abstract class CrmRoute
    {
        protected CrmRoute(CrmEntity entity) => Entity = entity;

        public CrmEntity Entity { get; }
        /// <summary>True for crm.item.*.</summary>
        public abstract bool IsItemRoute { get; }

        public static CrmRoute For(Connections.Bitrix24Connection connection, CrmEntity entity) =>
            connection.Api == CrmApi.Item || entity.IsSmartProcess ? (CrmRoute)new ItemMethods(entity) : new ClassicMethods(entity);

        /// <summary>The crm.item route of <paramref name="entity"/>, whatever the connection uses (a deal's move to another pipeline).</summary>
        public static CrmRoute ItemRoute(CrmEntity entity) => new ItemMethods(entity);

        public abstract string Get { get; }
        public abstract string List { get; }
        public abstract string Update { get; }
        public abstract string Add { get; }
        public abstract string Delete { get; }

        public abstract JObject GetParameters(int id);
        public abstract JObject UpdateParameters(JObject classicParameters);
        /// <summary>True when <see cref="UpdateParameters"/> passes the classic parameters unchanged, so a
        /// patch can write itself into a batch command.</summary>
        public virtual bool UpdatesTakeClassicParameters => false;
        public abstract JObject AddParameters(JObject classicParameters);
        public abstract JObject DeleteParameters(int id);
        /// <summary>List parameters from classic names (filter keys may carry operator prefixes).</summary>
        public abstract JObject ListParameters(JObject filter, JArray select, JObject order, int start);
        /// <summary>The batch reference to the ID of row <paramref name="row"/> of an earlier list command.</summary>
        public abstract string RowIdReference(string command, int row);

        public abstract JObject ReadRecord(JToken result);
        public abstract List<JObject> ReadRows(JToken result);
        /// <summary>The rows of a list answer to <paramref name="select"/> (classic names), with only the fields it names.</summary>
        public virtual List<JObject> ReadRows(JToken result, JArray select) => ReadRows(result);
        public abstract int? ReadNewId(JToken result);

        private sealed class ClassicMethods : CrmRoute
        {
            public ClassicMethods(CrmEntity entity) : base(entity) { }
            public override bool IsItemRoute => false;
            public override string Get => Entity.Method("get");
            public override string List => Entity.Method("list");
            public override string Update => Entity.Method("update");
            public override string Add => Entity.Method("add");
            public override string Delete => Entity.Method("delete");
            public override JObject GetParameters(int id) => new JObject { ["id"] = id };
            public override JObject UpdateParameters(JObject p) => p;
            public override bool UpdatesTakeClassicParameters => true;
            public override JObject AddParameters(JObject p) => p;
            public override JObject DeleteParameters(int id) => new JObject { ["id"] = id };
            public override JObject ListParameters(JObject filter, JArray select, JObject order, int start) =>
                new JObject { ["filter"] = filter, ["select"] = select, ["order"] = order, ["start"] = start };
            public override string RowIdReference(string command, int row) => $"$result[{command}][{row}][ID]";
            public override JObject ReadRecord(JToken result) => result as JObject;
            public override List<JObject> ReadRows(JToken result) => (result as JArray)?.OfType<JObject>().ToList() ?? new List<JObject>();
            public override int? ReadNewId(JToken result) => result != null && int.TryParse(result.ToString(), out var id) ? id : (int?)null;
        }

        private sealed class ItemMethods : CrmRoute
        {
            public ItemMethods(CrmEntity entity) : base(entity) { }
            public override bool IsItemRoute => true;

            public override string Get => "crm.item.get";
            public override string List => "crm.item.list";
            public override string Update => "crm.item.update";
            public override string Add => "crm.item.add";
            public override string Delete => "crm.item.delete";

            // The four classic entities keep their UF_ names on both routes (useOriginalUfNames=Y); a smart process uses the
            // portal's ufCrm… names, as the default N gives them.
            private JObject Base() => Entity.IsSmartProcess
                ? new JObject { ["entityTypeId"] = Entity.EntityTypeId }
                : new JObject { ["entityTypeId"] = Entity.EntityTypeId, ["useOriginalUfNames"] = "Y" };

            public override JObject GetParameters(int id) { var p = Base(); p["id"] = id; return p; }
            public override JObject DeleteParameters(int id) { var p = Base(); p["id"] = id; return p; }

            public override JObject UpdateParameters(JObject classic)
            {
                var p = Base();
                p["id"] = classic["id"];
                p["fields"] = ItemFields((JObject)classic["fields"]);
                return p;
            }

            public override JObject AddParameters(JObject classic)
            {
                var p = Base();
                p["fields"] = ItemFields((JObject)classic["fields"]);
                return p;
            }

            public override JObject ListParameters(JObject filter, JArray select, JObject order, int start)
            {
                var p = Base();
                p["filter"] = Rename(filter);
                // A smart process: field names or * (every field, custom ones included), as crm-item-list.md allows. The classic
                // entities read with useOriginalUfNames=Y send no select: public reports (bitrix-tools/b24-rest-docs issues 263,
                // 368) say Y with a select can answer with only custom fields or empty items, and fm, which cannot be named,
                // comes with every field (universal/crm-item-list.md). Rows are cut to the select here instead.
                if (Entity.IsSmartProcess)
                    p["select"] = new JArray(select.Select(s => s.ToString().EndsWith("*", StringComparison.Ordinal) ? "*" : Entity.CamelName(Entity.ApiNameOf(s.ToString())))
                                                   .Where(s => s != null).Distinct());
                p["order"] = Rename(order);
                p["start"] = start;
                return p;
            }

            public override string RowIdReference(string command, int row) => $"$result[{command}][items][{row}][id]";

            public override JObject ReadRecord(JToken result) => result?["item"] is JObject item ? ClassicShape(item) : null;

            public override List<JObject> ReadRows(JToken result) =>
                (result?["items"] as JArray)?.OfType<JObject>().Select(ClassicShape).ToList() ?? new List<JObject>();

            public override int? ReadNewId(JToken result) => (int?)result?["item"]?["id"];

            /// <summary>A classic entity's rows (read without a select) keep what the select names, as the classic list
            /// would answer: * is the standard fields, UF_* the custom ones, multi-fields by name.</summary>
            public override List<JObject> ReadRows(JToken result, JArray select)
            {
                var rows = ReadRows(result);
                if (Entity.IsSmartProcess) return rows;
                var names = select.Select(s => s.ToString()).ToList();
                var standard = names.Contains("*");
                var custom = names.Contains("UF_*");
                var named = new HashSet<string>(names.Select(Entity.ApiNameOf), StringComparer.OrdinalIgnoreCase) { "ID" };
                bool Keep(string field) => named.Contains(field)
                    || (field.StartsWith("UF_", StringComparison.OrdinalIgnoreCase) ? custom : standard && !Entity.IsMultiField(field));
                foreach (var row in rows)
                    foreach (var extra in row.Properties().Where(f => !Keep(f.Name)).ToList()) extra.Remove();
                return rows;
            }

            private JObject Rename(JObject map)
            {
                var result = new JObject();
                foreach (var property in map?.Properties() ?? Enumerable.Empty<JProperty>())
                {
                    var at = 0;
                    while (at < property.Name.Length && "<>=!@%".IndexOf(property.Name[at]) >= 0) at++;
                    var name = property.Name.Substring(at);
                    var apiName = Entity.ApiNameOf(name);
                    if (apiName == name) apiName = name.ToUpperInvariant();
                    result[property.Name.Substring(0, at) + (Entity.CamelName(apiName) ?? name)] = property.Value.DeepClone();
                }
                return result;
            }

            /// <summary>Classic fields as item fields: camelCase names, multi-fields as fm
            /// ("n0" keys add; an id key with a value changes it; with an empty value deletes it).</summary>
            private JObject ItemFields(JObject fields)
            {
                var result = new JObject();
                var fm = new JObject();
                var added = 0;
                foreach (var property in fields.Properties())
                {
                    var name = property.Name;
                    if (Entity.IsMultiField(name))
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
                    var target = Entity.CamelName(name);
                    if (target == null) continue;
                    // Y/N fields stay "Y"/"N": the docs list those values for crm.item too, and unlike
                    // JSON booleans they survive a batch command's query string.
                    result[target] = ItemValue(property.Value);
                }
                if (fm.HasValues) result["fm"] = fm;
                return result;
            }

            /// <summary>A classic value as crm.item takes it: a new file's {fileData: [name, base64]} is [name, base64]
            /// (universal/crm-item-update.md); everything else as it is.</summary>
            private static JToken ItemValue(JToken value)
            {
                if (value is JObject upload && upload["fileData"] is JArray data) return data.DeepClone();
                if (value is JArray files && files.Count > 0 && files.All(f => f is JObject o && o["fileData"] != null))
                    return new JArray(files.Select(ItemValue));
                return value.DeepClone();
            }

            /// <summary>An item as the classic route returns a record: capital names, values as strings.</summary>
            private JObject ClassicShape(JObject item)
            {
                var record = new JObject();
                foreach (var property in item.Properties())
                {
                    if (property.Name == "fm")
                    {
                        foreach (var entry in (property.Value as JArray ?? new JArray()).OfType<JObject>())
                        {
                            var type = ((string)entry["typeId"] ?? "").ToUpperInvariant();
                            if (!Entity.IsMultiField(type)) continue;
                            // Assign a new list once: setting a token that already has a parent stores a copy.
                            if (!(record[type] is JArray list)) { list = new JArray(); record[type] = list; }
                            list.Add(new JObject { ["ID"] = entry["id"]?.ToString(), ["VALUE_TYPE"] = (string)entry["valueType"], ["VALUE"] = (string)entry["value"], ["TYPE_ID"] = type });
                        }
                        continue;
                    }
                    var name = Entity.UpperName(property.Name);
                    if (name == null) continue;
                    var value = property.Value;
                    record[name] = value.Type == JTokenType.Boolean ? new JValue((bool)value ? "Y" : "N")
                                 : value.Type == JTokenType.Integer || value.Type == JTokenType.Float ? new JValue(Convert.ToString(((JValue)value).Value, CultureInfo.InvariantCulture))
                                 : value is JArray array && Entity.Find(name)?.Type == CrmFieldType.IdList ? new JArray(array.Select(v => v.ToString()))
                                 : value.DeepClone();
                }
                return record;
            }
        }
    }
}
