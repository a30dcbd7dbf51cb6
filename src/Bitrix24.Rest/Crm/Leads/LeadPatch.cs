using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm.Leads
{
    /// <summary>
    /// One crm.lead.update call in the making: the lead id, the fields to change (already in API form)
    /// and the params. Fields are checked as they are added, so a patch that exists is a patch that
    /// may be sent.
    /// </summary>
    public sealed class LeadPatch : Batch.IBatchQuery
    {
        // The fields to send, in API form, in the order they were set. A patch holds a few, so two small
        // arrays searched in order: a JObject cost a dictionary and a property object per field, for
        // every lead of a bulk run (about 500 bytes of a lead's 3.7 KB).
        private string[] _names = new string[4];
        private JToken[] _values = new JToken[4];
        private int _count;
        // Made on first use: most patches of a bulk run never learn an old value.
        private Dictionary<string, JToken> _oldValues;
        private Dictionary<string, JToken> OldValues => _oldValues ?? (_oldValues = new Dictionary<string, JToken>(StringComparer.OrdinalIgnoreCase));

        public LeadPatch(int id)
        {
            if (id <= 0) throw new LeadFieldException("ID", $"'{id}' is not a lead id; ids are positive whole numbers.");
            Id = id;
        }

        private LeadPatch() { }

        /// <summary>The fields of a lead to create (crm.lead.add): no id, nothing to read first.</summary>
        public static LeadPatch ForNewLead() => new LeadPatch { IsNew = true };

        /// <summary>The lead's id; 0 for a new lead.</summary>
        public int Id { get; }
        public bool IsNew { get; private set; }
        private int? LeadContext => IsNew ? (int?)null : Id;
        /// <summary>The portal's field schema, when known: checks custom fields, read-only flags and
        /// directory values (stages, sources, currencies) against the portal itself.</summary>
        public LeadSchema Schema { get; set; }
        /// <summary>The route has no address fields (crm.item): refuse them instead of losing them.</summary>
        public bool WithoutAddress { get; set; }

        /// <summary>The multi-field values given are the whole new lists: the lead's other values go.</summary>
        public bool ReplaceMultiFields { get; set; }
        /// <summary>The fields to send, in API form, in the order they were set, as a new JSON object
        /// (a copy: changing it does not change the patch).</summary>
        public JObject Fields => FieldsObject(copyValues: true);

        /// <summary>The fields as a JSON object; without <paramref name="copyValues"/> the values are the
        /// patch's own (for parameters that are sent at once).</summary>
        private JObject FieldsObject(bool copyValues)
        {
            var fields = new JObject();
            for (var i = 0; i < _count; i++) fields[_names[i]] = copyValues ? _values[i].DeepClone() : _values[i];
            return fields;
        }

        /// <summary>The API names of the fields to send, in the order they were set.</summary>
        public IEnumerable<string> FieldNames
        {
            get { for (var i = 0; i < _count; i++) yield return _names[i]; }
        }

        /// <summary>The value to send for a field (API name), or null when the patch does not change it.
        /// The patch's own value, for reading (<see cref="Fields"/> gives copies).</summary>
        public JToken FieldValue(string apiName)
        {
            var index = IndexOf(apiName);
            return index < 0 ? null : _values[index];
        }

        private int IndexOf(string apiName)
        {
            for (var i = 0; i < _count; i++)
                if (string.Equals(_names[i], apiName, StringComparison.Ordinal)) return i;
            return -1;
        }

        /// <summary>Sets a field's value: a field set again keeps its place (as a JSON object's property does).</summary>
        private void Put(string apiName, JToken value)
        {
            if (value == null) value = JValue.CreateNull();   // as a JSON object stores a null
            var index = IndexOf(apiName);
            if (index >= 0) { _values[index] = value; return; }
            if (_count == _names.Length)
            {
                Array.Resize(ref _names, _count * 2);
                Array.Resize(ref _values, _count * 2);
            }
            _names[_count] = apiName;
            _values[_count++] = value;
        }
        /// <summary>params.REGISTER_SONET_EVENT: record the change in the activity stream.</summary>
        public bool RegisterSonetEvent { get; set; }
        public bool IsEmpty => _count == 0;

        /// <summary>Sets a field from a .NET value: checks the name, converts the value. Throws
        /// <see cref="LeadFieldException"/> naming the field and this lead.</summary>
        public LeadPatch Set(string name, object value)
        {
            var field = Resolve(name);
            try
            {
                Put(field.ApiName, Convert(field, value));
            }
            catch (LeadFieldException ex)
            {
                throw IsNew ? ex : ex.ForLead(Id);
            }
            return this;
        }

        /// <summary>The API form of <paramref name="value"/>: custom fields by the portal's type for
        /// them, and directory fields checked against the portal's lists.</summary>
        internal JToken Convert(LeadFieldDefinition field, object value)
        {
            var info = Schema?.Find(field.ApiName);
            var token = field.Type == LeadFieldType.Other && info != null
                ? CustomFieldConverter.ToApi(info, value)
                : LeadValueConverter.ToApi(field, value);
            var directory = LeadSchema.DirectoryOf(field.ApiName);
            if (directory != null && Schema != null && token.Type == JTokenType.String && (string)token != "")
            {
                var allowed = Schema.DirectoryIds(directory);
                if (allowed.Count > 0)
                {
                    // The portal's own spelling of the id (it compares ids as given).
                    var id = Schema.DirectoryId(directory, (string)token);
                    if (id == null)
                        throw new LeadFieldException(field.ApiName, $"'{token}' is not one of the portal's values: {string.Join(", ", allowed)}.", LeadContext);
                    if (id != (string)token) token = id;
                }
            }
            return token;
        }

        /// <summary>Sets a field that is already in API form (from a diff).</summary>
        internal void SetApiValue(string apiName, JToken value, JToken oldValue)
        {
            // A token that belongs to another object (the lead as read) is copied, as a JSON object would.
            Put(apiName, value?.Parent != null ? value.DeepClone() : value);
            if (oldValue != null) OldValues[apiName] = oldValue;
        }

        /// <summary>Remembers what a field held before, for -WhatIf and verbose output.</summary>
        public void SetOldValue(string apiName, JToken oldValue) => OldValues[apiName] = oldValue;

        /// <summary>The name as the API knows it, or an error that names the closest real names.</summary>
        public LeadFieldDefinition Resolve(string name)
        {
            var field = LeadFieldCatalog.Find(name);
            if (field == null)
            {
                var custom = LeadFieldCatalog.IsCustomFieldName(name) ? (Schema == null ? null : Schema.Find(name)) : null;
                if (LeadFieldCatalog.IsCustomFieldName(name) && (Schema == null || custom != null))
                {
                    if (custom != null && (custom.IsReadOnly || custom.IsImmutable))
                        throw new LeadFieldException(custom.Name, "is read-only on this portal; the portal would ignore a new value.", LeadContext);
                    return new LeadFieldDefinition(custom?.Name ?? name.ToUpperInvariant(), name, LeadFieldType.Other);
                }
                var closest = LeadFieldCatalog.ClosestNames(name, Schema?.Fields.Where(f => f.IsCustom).Select(f => f.Name));
                var hint = closest.Count > 0 ? $" Did you mean {string.Join(" or ", closest)}?" : "";
                throw new LeadFieldException(name, $"is not a lead field on this portal (the portal would ignore it without a word).{hint}", LeadContext);
            }
            if (WithoutAddress && field.IsAddressPart)
                throw new LeadFieldException(field.ApiName, "crm.item.update has no address fields for leads, so the portal would drop it; " +
                                                            "connect with -Api Lead to change addresses.", LeadContext);
            var described = Schema?.Find(field.ApiName);
            if (!field.IsReadOnly && described != null && (described.IsReadOnly || described.IsImmutable))
                throw new LeadFieldException(field.ApiName, "is read-only on this portal; the portal would ignore a new value.", LeadContext);
            if (field.IsReadOnly)
            {
                var why = field.ApiName == "IS_RETURN_CUSTOMER"
                    ? "cannot be set; the portal sets it to Y when COMPANY_ID or CONTACT_ID is given."
                    : "is read-only; the portal maintains it and would ignore a new value.";
                throw new LeadFieldException(field.ApiName, why, LeadContext);
            }
            return field;
        }

        /// <summary>True when the lead's current values are needed before sending: a partial address
        /// (to keep the other parts), multi-field additions (to add nothing twice), removal by text, or
        /// replaced lists.</summary>
        public bool NeedsCurrentLead
        {
            get
            {
                if (IsNew) return false;
                // Asked once per lead of a bulk run: a look at the patch's few fields, no query objects.
                var parts = 0;
                for (var i = 0; i < _count; i++)
                {
                    var name = _names[i];
                    if (name.StartsWith("ADDRESS", StringComparison.Ordinal) && LeadFieldCatalog.AddressPartNames.Contains(name)) parts++;
                    // Any multi-field entry: additions are checked for duplicates, IDs for existence (the
                    // portal ignores an unknown ID without a word), removals by text resolved to IDs.
                    else if (Array.IndexOf(LeadFieldCatalog.MultiFieldNames, name) >= 0 && (ReplaceMultiFields || _values[i] is JArray entries && entries.Count > 0))
                        return true;
                }
                return parts > 0 && parts < LeadFieldCatalog.AddressPartNames.Count;
            }
        }

        /// <summary>
        /// The patch to send to a lead whose current fields are <paramref name="current"/>: the address
        /// completed from the lead's other parts, additions the lead already has left out, removals by
        /// text turned into removals by ID, and replaced lists turned into change/remove/add entries.
        /// Says what it did in <paramref name="notes"/>.
        /// </summary>
        public LeadPatch Prepared(JObject current, IList<string> notes)
        {
            var prepared = new LeadPatch(Id) { RegisterSonetEvent = RegisterSonetEvent, Schema = Schema, WithoutAddress = WithoutAddress, ReplaceMultiFields = ReplaceMultiFields };
            for (var i = 0; i < _count; i++)
            {
                var name = _names[i];
                if (_values[i] is JArray entries && LeadFieldCatalog.MultiFieldNames.Contains(name))
                {
                    var resolved = ResolveMultiField(name, entries, current?[name] as JArray ?? new JArray(), notes);
                    if (resolved.Count > 0) prepared.Put(name, resolved);
                    continue;
                }
                prepared.Put(name, _values[i].DeepClone());
            }

            var sent = LeadFieldCatalog.AddressParts.Where(p => IndexOf(p.ApiName) >= 0).ToList();
            var missing = LeadFieldCatalog.AddressParts.Where(p => IndexOf(p.ApiName) < 0).ToList();
            if (sent.Count > 0 && missing.Count > 0 && current != null)
            {
                // The portal rebuilds the address from the parts sent: the others would become empty.
                foreach (var part in missing)
                {
                    var value = current[part.ApiName];
                    prepared.Put(part.ApiName, value == null || value.Type == JTokenType.Null ? "" : value.ToString());
                }
                notes.Add($"Lead {Id}: sending the whole address ({string.Join(", ", missing.Select(m => m.ApiName))} kept as they are), " +
                          "because the portal empties the parts it is not sent.");
            }
            if (_oldValues != null)
                foreach (var old in _oldValues) prepared.OldValues[old.Key] = old.Value;
            return prepared;
        }

        private JArray ResolveMultiField(string field, JArray entries, JArray current, IList<string> notes)
        {
            string Key(JToken v) => ((string)v ?? "").Trim().ToUpperInvariant();
            var existing = current.OfType<JObject>().ToList();
            var result = new JArray();
            var matched = new HashSet<string>();
            foreach (var entry in entries.OfType<JObject>())
            {
                var id = (string)entry["ID"];
                var deleting = (string)entry["DELETE"] == "Y";
                if (id != null)
                {
                    if (!existing.Any(e => (string)e["ID"] == id))
                        throw new LeadFieldException(field, $"the lead has no value with ID {id} (it has: {Show(existing)}).", Id);
                    matched.Add(id);
                    result.Add(entry.DeepClone());
                    continue;
                }
                var same = existing.FirstOrDefault(e => Key(e["VALUE"]) == Key(entry["VALUE"]) && !matched.Contains((string)e["ID"]));
                if (deleting)
                {
                    if (same == null) { notes.Add($"Lead {Id}: {field} has no value '{entry["VALUE"]}'; nothing to remove."); continue; }
                    matched.Add((string)same["ID"]);
                    result.Add(new JObject { ["ID"] = (string)same["ID"], ["DELETE"] = "Y" });
                    continue;
                }
                if (same != null)
                {
                    matched.Add((string)same["ID"]);
                    var newType = (string)entry["VALUE_TYPE"];
                    if (ReplaceMultiFields && newType != null && !string.Equals(newType, (string)same["VALUE_TYPE"], StringComparison.OrdinalIgnoreCase))
                        result.Add(new JObject { ["ID"] = (string)same["ID"], ["VALUE"] = (string)same["VALUE"], ["VALUE_TYPE"] = newType });
                    else if (!ReplaceMultiFields)
                        notes.Add($"Lead {Id}: {field} already has '{entry["VALUE"]}'; not added again.");
                    continue;
                }
                result.Add(entry.DeepClone());
            }
            if (ReplaceMultiFields)
                foreach (var gone in existing.Where(e => !matched.Contains((string)e["ID"])))
                    result.Add(new JObject { ["ID"] = (string)gone["ID"], ["DELETE"] = "Y" });
            return result;
        }

        private static string Show(IEnumerable<JObject> values)
        {
            var list = values.Select(v => $"#{v["ID"]} {v["VALUE"]}").ToList();
            return list.Count == 0 ? "none" : string.Join(", ", list);
        }

        /// <summary>The crm.lead.update parameters: {id, fields, params}.</summary>
        public JObject ToParameters()
        {
            var parameters = IsNew ? new JObject { ["fields"] = FieldsObject(false) } : new JObject { ["id"] = Id, ["fields"] = FieldsObject(false) };
            if (RegisterSonetEvent) parameters["params"] = new JObject { ["REGISTER_SONET_EVENT"] = "Y" };
            return parameters;
        }

        private static readonly JObject SonetEventParams = new JObject { ["REGISTER_SONET_EVENT"] = "Y" };

        /// <summary>Writes <see cref="ToParameters"/> into a batch command, pair by pair, as http_build_query
        /// would write that object, without building it (a bulk run sends one per lead).</summary>
        public void AppendQuery(StringBuilder query, int empty)
        {
            if (!IsNew)
            {
                if (query.Length > empty) query.Append('&');
                query.Append("id=").Append(Id);   // positive: digits only, whatever the culture
            }
            for (var i = 0; i < _count; i++) Batch.BatchEncoding.AppendParameter(query, "fields", _names[i], _values[i], empty);
            if (RegisterSonetEvent) Batch.BatchEncoding.AppendParameter(query, "params", SonetEventParams, empty);
        }

        /// <summary>One entry per field: <c>TITLE = 'Old' -> 'New'</c> when the old value is known,
        /// <c>(unchanged)</c> when it equals the new one, and add/change/remove for multi-field entries.</summary>
        public string Describe()
        {
            var text = new StringBuilder();
            for (var i = 0; i < _count; i++)
            {
                var name = _names[i];
                var value = _values[i];
                if (text.Length > 0) text.Append("; ");
                JToken old = null;
                _oldValues?.TryGetValue(name, out old);
                if (value is JArray entries && entries.All(e => e is JObject))
                {
                    text.Append(name).Append(": ");
                    if (old is JArray had && had.Count > 0)
                        text.Append("has [").Append(string.Join(", ", had.OfType<JObject>().Select(ShowValue))).Append("], ");
                    text.Append(string.Join(", ", entries.Cast<JObject>().Select(ShowChange)));
                    continue;
                }
                text.Append(name).Append(" = ");
                if (old != null && JToken.DeepEquals(old, value))
                {
                    text.Append(Show(value)).Append(" (unchanged)");
                    continue;
                }
                if (old != null) text.Append(Show(old)).Append(" -> ");
                text.Append(Show(value));
            }
            if (RegisterSonetEvent) text.Append("; params REGISTER_SONET_EVENT = Y");
            return text.ToString();
        }

        private static string Show(JToken value)
        {
            if (value == null || value.Type == JTokenType.Null || value.Type == JTokenType.String && (string)value == "") return "(empty)";
            if (value.Type == JTokenType.String) return "'" + (string)value + "'";
            return value.ToString(Formatting.None);
        }

        private static string ShowValue(JObject entry)
        {
            var type = (string)entry["VALUE_TYPE"];
            var shown = type != null ? $"{entry["VALUE"]} ({type})" : (string)entry["VALUE"];
            var id = (string)entry["ID"];
            return id != null ? $"#{id} {shown}" : shown;
        }

        private static string ShowChange(JObject entry)
        {
            var id = (string)entry["ID"];
            if ((string)entry["DELETE"] == "Y") return $"remove #{id}";
            if (id == null) return "add " + ShowValue(entry);
            var copy = (JObject)entry.DeepClone();
            copy.Remove("ID");
            return $"change #{id} to {ShowValue(copy)}";
        }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "Lead {0}: {1}", Id, Describe());
    }
}
