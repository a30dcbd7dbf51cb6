using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>
    /// One crm.&lt;entity&gt;.update call in the making: the record's id, the fields to change (already in
    /// API form) and the params. Fields are checked as they are added, so a patch that exists is a patch that
    /// may be sent.
    /// </summary>
    public sealed class CrmPatch : Batch.IBatchQuery
    {
        // The fields to send, in API form, in the order they were set. A patch holds a few, so two small
        // arrays searched in order rather than a JObject (a dictionary and a property object per field,
        // for every record of a bulk run).
        private string[] _names = new string[4];
        private JToken[] _values = new JToken[4];
        private int _count;
        // Made on first use: most patches of a bulk run never learn an old value.
        private Dictionary<string, JToken> _oldValues;
        private Dictionary<string, JToken> OldValues => _oldValues ?? (_oldValues = new Dictionary<string, JToken>(StringComparer.OrdinalIgnoreCase));

        public CrmPatch(CrmEntity entity, int id)
        {
            Entity = entity ?? throw new ArgumentNullException(nameof(entity));
            if (id <= 0) throw new CrmFieldException("ID", $"'{id}' is not a {entity.ApiName} id; ids are positive whole numbers.", null, entity.Name);
            Id = id;
        }

        private CrmPatch(CrmEntity entity) { Entity = entity; }

        /// <summary>The fields of a record to create (crm.&lt;entity&gt;.add): no id, nothing to read first.</summary>
        public static CrmPatch ForNew(CrmEntity entity) => new CrmPatch(entity) { IsNew = true };

        public CrmEntity Entity { get; }
        /// <summary>The record's id; 0 for a new one.</summary>
        public int Id { get; }
        public bool IsNew { get; private set; }
        private int? RecordContext => IsNew ? (int?)null : Id;
        private CrmFieldException Refuse(string field, string problem) => new CrmFieldException(Entity.DisplayName(field), problem, RecordContext, Entity.Name);
        /// <summary>The pipeline the record is in, when known (from a piped object): a stage is checked against it at once.</summary>
        public int? KnownPipeline { get; set; }
        /// <summary>The portal's field schema, when known: checks custom fields, read-only flags and
        /// directory values (stages, sources, currencies) against the portal itself.</summary>
        public CrmSchema Schema { get; set; }
        /// <summary>Turns a relative file path into a full one (the shell's current location); null: the process's directory.</summary>
        public Func<string, string> ResolvePath { get; set; }
        /// <summary>The patch goes through crm.item: fields that route lacks (a lead's or contact's address) are refused instead of lost.</summary>
        public bool WithoutAddress { get; set; }

        /// <summary>The multi-field values given are the whole new lists: the record's other values go.</summary>
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
        /// <summary>params.REGISTER_SONET_EVENT: Y records the change in the activity stream, N says not to; null sends nothing.</summary>
        public bool? RegisterSonetEvent { get; set; }
        /// <summary>params.REGISTER_HISTORY_EVENT (deals, contacts, companies): Y or N; null sends nothing.</summary>
        public bool? RegisterHistoryEvent { get; set; }
        public bool IsEmpty => _count == 0;

        /// <summary>Sets a field from a .NET value: checks the name, converts the value. Throws
        /// <see cref="CrmFieldException"/> naming the field and this record.</summary>
        public CrmPatch Set(string name, object value)
        {
            var field = Resolve(name);
            try
            {
                Put(field.ApiName, Convert(field, value));
                if (field.ApiName == Entity.PipelineField) CheckPipeline();
            }
            catch (CrmFieldException ex)
            {
                throw ex.ForRecord(Entity, RecordContext);
            }
            return this;
        }

        /// <summary>
        /// Sets a field from a piped row (a CSV row, a hashtable) as <see cref="Set"/> does, except a column that carries the
        /// portal's own value back, as an export writes it: a field the portal maintains (read-only, or immutable on an
        /// update) or the file a file field holds. Such a column is left out: false.
        /// </summary>
        public bool SetFromRow(string name, object value)
        {
            if (CarriesPortalValue(name, value)) return false;
            Set(name, value);
            return true;
        }

        private bool CarriesPortalValue(string name, object value)
        {
            var apiName = Entity.ApiNameOf(name);
            var field = Entity.Find(apiName);
            var described = Schema?.Find(apiName);
            if (field == null && described == null) return false;   // not a field: Set names the closest ones
            if (field?.IsReadOnly == true || described?.IsReadOnly == true) return true;
            if (described?.IsImmutable == true && !IsNew && described.Name != Entity.PipelineField) return true;
            var isFile = field?.Type == CrmFieldType.File || described?.Type == "file";
            return isFile && (value is CrmFile || value is string text && CrmFile.IsExportText(text));
        }

        /// <summary>The API form of <paramref name="value"/>: custom fields by the portal's type for
        /// them, and directory fields checked against the portal's lists.</summary>
        internal JToken Convert(CrmFieldDefinition field, object value)
        {
            var info = Schema?.Find(field.ApiName);
            if (field.Type == CrmFieldType.File || field.Type == CrmFieldType.Other && info?.Type == "file")
                return info != null && info.IsMultiple
                    ? new JArray(CrmValueConverter.AsList(value).Select(one => (object)CrmFile.ToApi(Entity.DisplayName(field.ApiName), one, ResolvePath)).ToArray())
                    : (JToken)CrmFile.ToApi(Entity.DisplayName(field.ApiName), value, ResolvePath);
            var token = field.Type == CrmFieldType.Other && info != null
                ? CustomFieldConverter.ToApi(Entity, info, value)
                : CrmValueConverter.ToApi(field, value);
            if (field.ApiName == Entity.StageField && Schema != null && token.Type == JTokenType.String && (string)token != "")
                return CheckStage((string)token);
            var directory = Entity.DirectoryOf(field.ApiName);
            if (directory != null && Schema != null && token.Type == JTokenType.String && (string)token != "")
            {
                var allowed = Schema.DirectoryIds(directory);
                if (allowed.Count > 0)
                {
                    // The portal's own spelling of the id (it compares ids as given).
                    var id = Schema.DirectoryId(directory, (string)token);
                    if (id == null)
                        throw Refuse(field.ApiName, $"'{token}' is not one of the portal's values: {string.Join(", ", allowed)}.");
                    if (id != (string)token) token = id;
                }
            }
            return token;
        }

        /// <summary>Sets a field that is already in API form (from a diff).</summary>
        internal void SetApiValue(string apiName, JToken value, JToken oldValue)
        {
            // A token that belongs to another object (the record as read) is copied, as a JSON object would.
            Put(apiName, value?.Parent != null ? value.DeepClone() : value);
            if (oldValue != null) OldValues[apiName] = oldValue;
        }

        /// <summary>Remembers what a field held before, for -WhatIf and verbose output.</summary>
        public void SetOldValue(string apiName, JToken oldValue) => OldValues[apiName] = oldValue;

        /// <summary>The name as the API knows it, or an error that names the closest real names.</summary>
        public CrmFieldDefinition Resolve(string name)
        {
            name = Entity.ApiNameOf(name);
            var field = Entity.Find(name);
            if (field == null)
            {
                var custom = CrmFieldCatalog.IsCustomFieldName(name) ? (Schema == null ? null : Schema.Find(name)) : null;
                if (CrmFieldCatalog.IsCustomFieldName(name) && (Schema == null || custom != null))
                {
                    if (custom != null) RefuseByFlags(custom);
                    var type = CrmFieldCatalog.IsRelationFieldName(name) ? CrmFieldType.Integer : CrmFieldType.Other;
                    return new CrmFieldDefinition(custom?.Name ?? name.ToUpperInvariant(), name, type);
                }
                var closest = Entity.ClosestNames(name, Schema?.Fields.Where(f => f.IsCustom).Select(f => f.Name));
                var hint = closest.Count > 0 ? $" Did you mean {string.Join(" or ", closest)}?" : "";
                throw Refuse(name, $"is not a {Entity.RecordNoun} field on this portal (the portal would ignore it without a word).{hint}");
            }
            if (WithoutAddress && Entity.NotOnItemRoute.Contains(field.ApiName))
                throw Refuse(field.ApiName, $"crm.item.update has no address fields for {Entity.Plural}, so the portal would drop it; " +
                                            "connect with -Api Classic (-Api Lead is the same) to change addresses.");
            var described = Schema?.Find(field.ApiName);
            if (!field.IsReadOnly && described != null) RefuseByFlags(described);
            if (field.IsReadOnly)
                throw Refuse(field.ApiName, field.ReadOnlyReason ?? "is read-only; the portal maintains it and would ignore a new value.");
            return field;
        }

        /// <summary>Refuses a field the portal's own flags say it would ignore here: isReadOnly always; isImmutable
        /// (settable on add only: crm/deals/crm-deal-fields.md) on an update, except the pipeline field, which the
        /// update sends through crm.item.update (crm/deals/crm-deal-update.md).</summary>
        private void RefuseByFlags(CrmFieldInfo described)
        {
            if (described.IsReadOnly)
                throw Refuse(described.Name, "is read-only on this portal; the portal would ignore a new value.");
            if (described.IsImmutable && !IsNew && described.Name != Entity.PipelineField)
                throw Refuse(described.Name, $"can be set only when the {Entity.RecordNoun} is created (the portal marks it immutable); an update would leave it as it is.");
        }

        /// <summary>True when the record's current values are needed before sending: a partial address
        /// (to keep the other parts), multi-field additions (to add nothing twice), removal by text, or
        /// replaced lists.</summary>
        public bool NeedsCurrentRecord
        {
            get
            {
                if (IsNew) return false;
                // Asked once per record of a bulk run: a look at the patch's few fields, no query objects.
                var parts = 0;
                for (var i = 0; i < _count; i++)
                {
                    var name = _names[i];
                    if (name.StartsWith("ADDRESS", StringComparison.Ordinal) && Entity.IsAddressPart(name)) parts++;
                    // Any multi-field entry: additions are checked for duplicates, IDs for existence (the
                    // portal ignores an unknown ID without a word), removals by text resolved to IDs.
                    else if (Entity.IsMultiField(name) && (ReplaceMultiFields || _values[i] is JArray entries && entries.Count > 0))
                        return true;
                    // A stage is checked against the record's own pipeline, unless the pipeline is known or moves too.
                    else if (name == Entity.StageField && Schema != null && Schema.Pipelines.Count > 1 && KnownPipeline == null
                             && IndexOf(Entity.PipelineField) < 0 && _values[i] is JValue stage && (string)stage != "")
                        return true;
                }
                return parts > 0 && parts < Entity.AddressPartNames.Count;
            }
        }

        /// <summary>
        /// The patch to send to a record whose current fields are <paramref name="current"/>: the address
        /// completed from the record's other parts, additions it already has left out, removals by
        /// text turned into removals by ID, and replaced lists turned into change/remove/add entries.
        /// Says what it did in <paramref name="notes"/>.
        /// </summary>
        public CrmPatch Prepared(JObject current, IList<string> notes)
        {
            var prepared = new CrmPatch(Entity, Id)
            {
                RegisterSonetEvent = RegisterSonetEvent, RegisterHistoryEvent = RegisterHistoryEvent, Schema = Schema, ResolvePath = ResolvePath,
                WithoutAddress = WithoutAddress, ReplaceMultiFields = ReplaceMultiFields, KnownPipeline = KnownPipeline,
            };
            for (var i = 0; i < _count; i++)
            {
                var name = _names[i];
                if (_values[i] is JArray entries && Entity.IsMultiField(name))
                {
                    var resolved = ResolveMultiField(name, entries, current?[name] as JArray ?? new JArray(), notes);
                    if (resolved.Count > 0) prepared.Put(name, resolved);
                    continue;
                }
                prepared.Put(name, _values[i].DeepClone());
            }

            var sent = Entity.AddressPartNames.Where(p => IndexOf(p) >= 0).ToList();
            var missing = Entity.AddressPartNames.Where(p => IndexOf(p) < 0).ToList();
            if (sent.Count > 0 && missing.Count > 0 && current != null)
            {
                // The portal rebuilds the address from the parts sent: the others would become empty.
                foreach (var part in missing)
                {
                    var value = current[part];
                    prepared.Put(part, value == null || value.Type == JTokenType.Null ? "" : value.ToString());
                }
                notes.Add($"{Entity.Name} {Id}: sending the whole address ({string.Join(", ", missing)} kept as they are), " +
                          "because the portal empties the parts it is not sent.");
            }
            var stage = FieldValue(Entity.StageField ?? "") as JValue;
            if (stage != null && (string)stage != "" && Schema != null && IndexOf(Entity.PipelineField) < 0 && current != null)
            {
                var pipeline = int.TryParse((string)current[Entity.PipelineField], NumberStyles.Integer, CultureInfo.InvariantCulture, out var category) ? category : Schema.DefaultPipeline;
                var problem = Schema.StageProblem((string)stage, pipeline);
                if (problem != null) throw new CrmFieldException(Entity.DisplayName(Entity.StageField), problem, Id, Entity.Name);
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
                        throw new CrmFieldException(field, $"the {Entity.ApiName} has no value with ID {id} (it has: {Show(existing)}).", Id, Entity.Name);
                    matched.Add(id);
                    result.Add(entry.DeepClone());
                    continue;
                }
                var same = existing.FirstOrDefault(e => Key(e["VALUE"]) == Key(entry["VALUE"]) && !matched.Contains((string)e["ID"]));
                if (deleting)
                {
                    if (same == null) { notes.Add($"{Entity.Name} {Id}: {field} has no value '{entry["VALUE"]}'; nothing to remove."); continue; }
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
                        notes.Add($"{Entity.Name} {Id}: {field} already has '{entry["VALUE"]}'; not added again.");
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

        /// <summary>The crm.&lt;entity&gt;.update parameters: {id, fields, params}.</summary>
        public JObject ToParameters()
        {
            var parameters = IsNew ? new JObject { ["fields"] = FieldsObject(false) } : new JObject { ["id"] = Id, ["fields"] = FieldsObject(false) };
            var options = Params();
            if (options != null) parameters["params"] = options;
            return parameters;
        }

        /// <summary>params: REGISTER_SONET_EVENT and REGISTER_HISTORY_EVENT as given, or null when neither was.</summary>
        private JObject Params()
        {
            if (RegisterSonetEvent == null && RegisterHistoryEvent == null) return null;
            var options = new JObject();
            if (RegisterSonetEvent is bool sonet) options["REGISTER_SONET_EVENT"] = sonet ? "Y" : "N";
            if (RegisterHistoryEvent is bool history) options["REGISTER_HISTORY_EVENT"] = history ? "Y" : "N";
            return options;
        }

        /// <summary>Writes <see cref="ToParameters"/> into a batch command, pair by pair, as <see cref="Batch.BatchEncoding"/>
        /// would write that object, without building it (a bulk run sends one per record).</summary>
        public void AppendQuery(StringBuilder query, int empty)
        {
            if (!IsNew)
            {
                if (query.Length > empty) query.Append('&');
                query.Append("id=").Append(Id);   // positive: digits only, whatever the culture
            }
            for (var i = 0; i < _count; i++) Batch.BatchEncoding.AppendParameter(query, "fields", _names[i], _values[i], empty);
            var options = Params();
            if (options != null) Batch.BatchEncoding.AppendParameter(query, "params", options, empty);
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
                name = Entity.DisplayName(name);
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
            foreach (var option in Params()?.Properties() ?? Enumerable.Empty<JProperty>())
                text.Append("; params ").Append(option.Name).Append(" = ").Append((string)option.Value);
            return text.ToString();
        }

        private static string Show(JToken value)
        {
            if (value == null || value.Type == JTokenType.Null || value.Type == JTokenType.String && (string)value == "") return "(empty)";
            if (value.Type == JTokenType.String) return "'" + (string)value + "'";
            if (CrmFile.Describe(value) is string file) return file;
            if (CrmFile.Read(value) is CrmFile held) return held.ToString();
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

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1}: {2}", Entity.Name, Id, Describe());

        /// <summary>Whose pipelines messages speak of: a smart process's own, else the portal's (deals).</summary>
        private string PipelineOwner => Entity.IsSmartProcess ? Entity.Name : "this portal";

        /// <summary>A move to another pipeline names one of the portal's, and a stage given with it is one of that pipeline's.</summary>
        private void CheckPipeline()
        {
            if (Schema == null || !(FieldValue(Entity.PipelineField) is JValue value) || value.ToString() == "") return;
            var id = int.TryParse(value.ToString(), out var parsed) ? parsed : -1;
            if (!Schema.Pipelines.Any(p => p.Id == id))
                throw Refuse(Entity.PipelineField, $"'{value}' is not a pipeline of {PipelineOwner}; its pipelines are {string.Join(", ", Schema.Pipelines)}.");
            if (FieldValue(Entity.StageField) is JValue stage && (string)stage != "")
            {
                var problem = Schema.StageProblem((string)stage, id);
                if (problem != null) throw Refuse(Entity.StageField, problem);
            }
        }

        /// <summary>A stage must be one of the portal's; of the record's own pipeline when that is known here.</summary>
        private JToken CheckStage(string stageId)
        {
            var pipeline = FieldValue(Entity.PipelineField) is JValue moving && int.TryParse(moving.ToString(), out var target) ? target : KnownPipeline;
            if (pipeline is int known)
            {
                var problem = Schema.StageProblem(stageId, known);
                if (problem != null) throw Refuse(Entity.StageField, problem);
                return new JValue(Schema.DirectoryId(Entity.StageDirectory(known), stageId) ?? stageId);
            }
            var any = Schema.AnyStage(stageId);
            if (any == null && Schema.Stages(Schema.DefaultPipeline).Count > 0)
                throw Refuse(Entity.StageField, $"'{stageId}' is not a stage of any pipeline of {PipelineOwner}; the default pipeline's stages are {string.Join(", ", Schema.Stages(Schema.DefaultPipeline))}.");
            return new JValue(any ?? stageId);
        }
    }
}
