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
    public sealed class LeadPatch
    {
        private readonly JObject _fields = new JObject();
        private readonly Dictionary<string, JToken> _oldValues = new Dictionary<string, JToken>(StringComparer.OrdinalIgnoreCase);

        public LeadPatch(int id)
        {
            if (id <= 0) throw new LeadFieldException("ID", $"'{id}' is not a lead id; ids are positive whole numbers.");
            Id = id;
        }

        public int Id { get; }
        /// <summary>The fields to send, in API form, in the order they were set.</summary>
        public JObject Fields => _fields;
        /// <summary>params.REGISTER_SONET_EVENT: record the change in the activity stream.</summary>
        public bool RegisterSonetEvent { get; set; }
        public bool IsEmpty => !_fields.HasValues;

        /// <summary>Sets a field from a .NET value: checks the name, converts the value. Throws
        /// <see cref="LeadFieldException"/> naming the field and this lead.</summary>
        public LeadPatch Set(string name, object value)
        {
            var field = Resolve(name);
            try
            {
                _fields[field.ApiName] = LeadValueConverter.ToApi(field, value);
            }
            catch (LeadFieldException ex)
            {
                throw ex.ForLead(Id);
            }
            return this;
        }

        /// <summary>Sets a field that is already in API form (from a diff).</summary>
        internal void SetApiValue(string apiName, JToken value, JToken oldValue)
        {
            _fields[apiName] = value;
            if (oldValue != null) _oldValues[apiName] = oldValue;
        }

        /// <summary>Remembers what a field held before, for -WhatIf and verbose output.</summary>
        public void SetOldValue(string apiName, JToken oldValue) => _oldValues[apiName] = oldValue;

        public bool Has(string apiName) => _fields.ContainsKey(apiName);

        /// <summary>The name as the API knows it, or an error that names the closest real names.</summary>
        public LeadFieldDefinition Resolve(string name)
        {
            var field = LeadFieldCatalog.Find(name);
            if (field == null)
            {
                if (LeadFieldCatalog.IsCustomFieldName(name))
                    return new LeadFieldDefinition(name.ToUpperInvariant(), name, LeadFieldType.Other);
                var closest = LeadFieldCatalog.ClosestNames(name);
                var hint = closest.Count > 0 ? $" Did you mean {string.Join(" or ", closest)}?" : "";
                throw new LeadFieldException(name, $"is not a lead field (the portal would ignore it without a word).{hint}", Id);
            }
            if (field.IsReadOnly)
            {
                var why = field.ApiName == "IS_RETURN_CUSTOMER"
                    ? "cannot be set; the portal sets it to Y when COMPANY_ID or CONTACT_ID is given."
                    : "is read-only; the portal maintains it and would ignore a new value.";
                throw new LeadFieldException(field.ApiName, why, Id);
            }
            return field;
        }

        /// <summary>True when the patch adds multi-field values (entries without ID): sending it twice
        /// would add them twice, so it is not idempotent.</summary>
        public bool AddsValues =>
            _fields.Properties().Any(p => p.Value is JArray entries && entries.OfType<JObject>().Any(e => e["ID"] == null));

        /// <summary>
        /// The parameters to send again after an unknown outcome: additions the lead already has are
        /// left out (they went through the first time). Null when nothing is left to send.
        /// </summary>
        public JObject ParametersAfter(LeadSnapshot current)
        {
            var parameters = ToParameters();
            var fields = (JObject)parameters["fields"];
            foreach (var property in fields.Properties().ToList())
            {
                if (!(property.Value is JArray entries)) continue;
                var present = current.Original[property.Name] as JArray ?? new JArray();
                foreach (var added in entries.OfType<JObject>().Where(e => e["ID"] == null).ToList())
                {
                    var already = present.OfType<JObject>().Any(p =>
                        (string)p["VALUE"] == (string)added["VALUE"] &&
                        string.Equals((string)p["VALUE_TYPE"], (string)added["VALUE_TYPE"], StringComparison.OrdinalIgnoreCase));
                    if (already) added.Remove();
                }
                if (entries.Count == 0) property.Remove();
            }
            return fields.HasValues ? parameters : null;
        }

        /// <summary>The crm.lead.update parameters: {id, fields, params}.</summary>
        public JObject ToParameters()
        {
            var parameters = new JObject { ["id"] = Id, ["fields"] = _fields.DeepClone() };
            if (RegisterSonetEvent) parameters["params"] = new JObject { ["REGISTER_SONET_EVENT"] = "Y" };
            return parameters;
        }

        /// <summary>One entry per field: <c>TITLE = 'Old' -> 'New'</c> when the old value is known,
        /// <c>(unchanged)</c> when it equals the new one, and add/change/remove for multi-field entries.</summary>
        public string Describe()
        {
            var text = new StringBuilder();
            foreach (var property in _fields.Properties())
            {
                if (text.Length > 0) text.Append("; ");
                _oldValues.TryGetValue(property.Name, out var old);
                if (property.Value is JArray entries && entries.All(e => e is JObject))
                {
                    text.Append(property.Name).Append(": ");
                    if (old is JArray had && had.Count > 0)
                        text.Append("has [").Append(string.Join(", ", had.OfType<JObject>().Select(ShowValue))).Append("], ");
                    text.Append(string.Join(", ", entries.Cast<JObject>().Select(ShowChange)));
                    continue;
                }
                text.Append(property.Name).Append(" = ");
                if (old != null && JToken.DeepEquals(old, property.Value))
                {
                    text.Append(Show(property.Value)).Append(" (unchanged)");
                    continue;
                }
                if (old != null) text.Append(Show(old)).Append(" -> ");
                text.Append(Show(property.Value));
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
