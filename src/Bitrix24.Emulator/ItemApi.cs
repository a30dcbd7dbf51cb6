using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>
    /// crm.item.fields/get/list/update/add/delete for leads, deals, contacts and companies (entityTypeId 1–4)
    /// and the smart processes, served from the same stores: camelCase names (a lead's STATUS_ID is stageId),
    /// multi-fields as <c>fm</c> ("n0" keys add, an id key with a value changes, with an empty value deletes),
    /// numbers as JSON numbers, Y/N fields as "Y"/"N" (universal/crm-item-get.md), no address fields. Custom fields are ufCrm… unless
    /// useOriginalUfNames=Y asks for their UF_ names. Unlike crm.deal.update, crm.item.update moves a record
    /// to another pipeline.
    /// </summary>
    internal sealed class ItemApi
    {
        private readonly Dictionary<int, (RecordStore Store, ItemNames Names)> _stores;

        private readonly Func<PortalDivergence, bool> _diverges;

        public ItemApi(IEnumerable<RecordStore> stores, Func<PortalDivergence, bool> diverges)
        {
            _stores = stores.ToDictionary(s => s.Entity.EntityTypeId, s => (s, new ItemNames(s.Entity)));
            _diverges = diverges;
        }

        public (JToken result, int? total, int? next) Dispatch(string method, JObject p)
        {
            var type = RecordStore.ToInt(p["entityTypeId"]?.ToString() ?? "");
            if (type == null || !_stores.TryGetValue(type.Value, out var served)) throw new PortalError(400, "NOT_FOUND", "Smart process not found");
            var (store, names) = served;
            var originalUf = (string)p["useOriginalUfNames"] == "Y";
            var noFm = _diverges(PortalDivergence.NoMultiFieldsOnItems);
            switch (method)
            {
                case "crm.item.fields":
                    return (new JObject { ["fields"] = names.Describe() }, null, null);
                case "crm.item.get":
                    return (Item(names, store.Get(new JObject { ["id"] = p["id"] }, withLinks: true), originalUf), null, null);
                case "crm.item.update":
                    var id = RecordStore.ToInt(p["id"]?.ToString() ?? "") ?? 0;
                    var fields = names.ClassicFields(p["fields"] as JObject, store.Snapshot(id));
                    store.Update(new JObject { ["id"] = id, ["fields"] = fields });
                    if (store.Entity.PipelineField != null && fields[store.Entity.PipelineField] != null) store.Move(id, fields);
                    return (Item(names, store.Get(new JObject { ["id"] = id }, withLinks: true), originalUf), null, null);
                case "crm.item.add":
                    var newId = store.Add(new JObject { ["fields"] = names.ClassicFields(p["fields"] as JObject) });
                    return (Item(names, store.Get(new JObject { ["id"] = newId }, withLinks: true), originalUf), null, null);
                case "crm.item.delete":
                    store.Delete(new JObject { ["id"] = p["id"] });
                    return (new JArray(), null, null);
                default:
                    var selected = p["select"] as JArray;
                    if (selected == null || selected.Count == 0) selected = new JArray("*");
                    var withFm = selected.Any(f => f.ToString() == "*") && !noFm;
                    var list = new JObject
                    {
                        ["filter"] = names.Translate(p["filter"] as JObject),
                        ["order"] = names.Translate(p["order"] as JObject),
                        // crm.item.list's * is every field, custom ones included; fm comes only with * (or no select):
                        // it cannot be named (universal/crm-item-list.md).
                        ["select"] = new JArray(selected.Select(s => names.Upper(s.ToString()))
                                                .SelectMany(s => s == "*" ? new[] { "*", "UF_*" } : new[] { s })
                                                .Concat(withFm ? EmulatedEntity.MultiFields : new string[0]).Distinct()),
                    };
                    if (p["start"] != null) list["start"] = p["start"];
                    var (rows, total, next) = store.List(list, withLinks: true);
                    return (new JObject { ["items"] = new JArray(((JArray)rows).OfType<JObject>().Select(r => names.ToItem(r, originalUf, withFm))) }, total, next);
            }
        }

        private JObject Item(ItemNames names, JToken record, bool originalUf) =>
            new JObject { ["item"] = names.ToItem((JObject)record, originalUf, withFm: !_diverges(PortalDivergence.NoMultiFieldsOnItems)) };

        /// <summary>crm.type.list: the smart processes ({types: [{id, title, entityTypeId, isCategoriesEnabled, isStagesEnabled …}]}).</summary>
        public JToken Types() => new JObject
        {
            ["types"] = new JArray(_stores.Values.Where(s => s.Store.Entity.IsSmartProcess).Select(s => s.Store.Entity).Select(e => new JObject
            {
                ["id"] = e.EntityTypeId - 1000, ["title"] = e.Title, ["code"] = "", ["entityTypeId"] = e.EntityTypeId,
                ["isCategoriesEnabled"] = e.HasCategories ? "Y" : "N", ["isStagesEnabled"] = "Y", ["isClientEnabled"] = e.HasClients ? "Y" : "N",
                ["isBeginCloseDatesEnabled"] = "Y", ["isSourceEnabled"] = "Y",
            })),
        };


        /// <summary>One entity's crm.item names: the camel-cased API name unless the entity spells it otherwise.</summary>
        private sealed class ItemNames
        {
            private readonly EmulatedEntity _entity;
            private readonly Dictionary<string, string> _toUpper = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            private readonly Dictionary<string, string> _toCamel = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            private readonly Dictionary<string, EmulatedField> _fields;

            public ItemNames(EmulatedEntity entity)
            {
                _entity = entity;
                _fields = entity.Fields.ToDictionary(f => f.Name);
                foreach (var field in entity.Fields)
                {
                    if (field.IsMultiField || Array.IndexOf(entity.AddressParts, field.Name) >= 0) continue;
                    var camel = entity.ItemNames.TryGetValue(field.Name, out var named) ? named
                              : field.Name.StartsWith("UF_", StringComparison.Ordinal) ? field.Name : Camel(field.Name);
                    _toCamel[field.Name] = camel;
                    _toUpper[camel] = field.Name;
                    _toUpper[field.Name] = field.Name;   // every method takes the UPPER_CASE names too (crm/universal/index.md)
                }
            }

            private static string Camel(string upper)
            {
                var parts = upper.ToLowerInvariant().Split('_');
                return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p.Substring(1)));
            }

            public string Upper(string camel) =>
                camel == "*" ? camel : _toUpper.TryGetValue(camel, out var upper) ? upper : camel.ToUpperInvariant();

            public JObject Translate(JObject map)
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

            /// <summary>Item fields (camelCase, fm) as the store's fields (no address on this route); <paramref name="current"/>
            /// is the record being updated (null for add).</summary>
            public JObject ClassicFields(JObject fields, JObject current = null)
            {
                var result = new JObject();
                if (fields == null) return result;
                foreach (var property in fields.Properties())
                {
                    if (property.Name == "fm") { AddMultiFields(result, property.Value, current); continue; }
                    if (!_toUpper.TryGetValue(property.Name, out var upper)) continue;   // unknown: ignored, as the portal does
                    var value = property.Value;
                    result[upper] = value.Type == JTokenType.Boolean ? new JValue((bool)value ? "Y" : "N") : value.DeepClone();
                }
                return result;
            }

            /// <summary>fm as tutorials/crm/how-to-edit-crm-objects/how-to-change-email-or-phone.md says: an array only adds;
            /// in an object an "n0" key adds, an entry's id with a value changes it and with an empty value deletes it, an id
            /// the record lacks adds a new entry, and an element without typeId does nothing.</summary>
            private static void AddMultiFields(JObject result, JToken fm, JObject current)
            {
                var entries = fm is JObject keyed ? keyed.Properties().Select(p => (Key: p.Name, Entry: p.Value as JObject))
                            : fm is JArray list ? list.Select((e, i) => (Key: "n" + i, Entry: e as JObject))
                            : Enumerable.Empty<(string, JObject)>();
                foreach (var (key, entry) in entries)
                {
                    if (entry == null) continue;
                    var type = ((string)entry["typeId"] ?? "").ToUpperInvariant();
                    if (Array.IndexOf(EmulatedEntity.MultiFields, type) < 0) continue;
                    // Assign a new list once: setting a token that already has a parent stores a copy.
                    if (!(result[type] is JArray target)) { target = new JArray(); result[type] = target; }
                    var value = (string)entry["value"] ?? "";
                    var known = current?[type] is JArray values && values.OfType<JObject>().Any(v => (string)v["ID"] == key);
                    if (!known) { if (value.Length > 0) target.Add(new JObject { ["VALUE"] = value, ["VALUE_TYPE"] = (string)entry["valueType"] ?? "WORK" }); }
                    else if (value.Length == 0) target.Add(new JObject { ["ID"] = key, ["DELETE"] = "Y" });
                    else target.Add(new JObject { ["ID"] = key, ["VALUE"] = value, ["VALUE_TYPE"] = (string)entry["valueType"] });
                }
            }

            /// <summary>crm.item.fields: {camelName: descriptor with upperName}; multi-fields and address parts have no item name.</summary>
            public JObject Describe()
            {
                var result = new JObject();
                foreach (var field in _entity.Fields)
                {
                    if (!_toCamel.TryGetValue(field.Name, out var camel)) continue;
                    var descriptor = field.Describe(immutable: field.Name == _entity.PipelineField ? false : (bool?)null);
                    descriptor["upperName"] = field.Name;
                    result[camel] = descriptor;
                }
                return result;
            }

            /// <summary>A file as crm.item returns it: {id, url, urlMachine} (universal/object-fields.md, ufCrm…); the
            /// classic methods' {id, showUrl, downloadUrl} otherwise.</summary>
            private static JToken ItemFile(JToken value)
            {
                if (value is JArray many) return new JArray(many.Select(ItemFile));
                if (!(value is JObject file)) return value.DeepClone();
                return new JObject { ["id"] = file["id"], ["url"] = file["showUrl"], ["urlMachine"] = file["downloadUrl"] };
            }

            /// <summary>A stored record as crm.item returns it.</summary>
            public JObject ToItem(JObject record, bool originalUf, bool withFm = true)
            {
                var item = new JObject();
                var fm = new JArray();
                foreach (var property in record.Properties())
                {
                    var name = property.Name;
                    if (Array.IndexOf(EmulatedEntity.MultiFields, name) >= 0)
                    {
                        foreach (var entry in (property.Value as JArray ?? new JArray()).OfType<JObject>())
                            fm.Add(new JObject
                            {
                                ["id"] = RecordStore.ToInt((string)entry["ID"]), ["typeId"] = name,
                                ["valueType"] = entry["VALUE_TYPE"], ["value"] = entry["VALUE"],
                            });
                        continue;
                    }
                    if (!_toCamel.TryGetValue(name, out var camel)) continue;
                    if (originalUf && name.StartsWith("UF_", StringComparison.Ordinal)) camel = name;
                    var value = property.Value;
                    var text = value.Type == JTokenType.Null ? null : value.ToString();
                    var type = _fields.TryGetValue(name, out var field) ? field.Type : "string";
                    if (field != null && field.IsList) item[camel] = new JArray((value as JArray ?? new JArray()).Select(v => (object)RecordStore.ToInt(v.ToString())).ToArray());
                    else if (type == "file") item[camel] = ItemFile(value);
                    else if (name.StartsWith("UF_", StringComparison.Ordinal)) item[camel] = value.DeepClone();
                    else if (text == null) item[camel] = null;
                    else if (type == "integer" || type == "user" || type == "crm_company" || type == "crm_contact" || type == "crm_entity" || type == "crm_category" || type == "crm_lead")
                        item[camel] = RecordStore.ToInt(text);
                    // Y/N fields stay "Y"/"N" on crm.item too (universal/crm-item-get.md: "opened": "Y").
                    else if (type == "double") item[camel] = double.Parse(text, CultureInfo.InvariantCulture);
                    else item[camel] = text;
                }
                if (withFm && _entity.Fields.Any(f => f.IsMultiField)) item["fm"] = fm;   // deals and smart processes have none
                return item;
            }
        }
    }
}
