using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>
    /// A record as it was read. The objects the cmdlets write keep one so that piping them back sends
    /// only the fields whose values differ from it.
    /// </summary>
    public sealed class CrmSnapshot
    {
        public CrmSnapshot(CrmEntity entity, JObject apiFields)
        {
            Entity = entity;
            Original = (JObject)apiFields.DeepClone();
            Id = int.TryParse((string)apiFields["ID"], out var id) ? id : 0;
        }

        public CrmEntity Entity { get; }
        public int Id { get; }
        /// <summary>The fields as the API returned them (strings, as the get method gives them).</summary>
        public JObject Original { get; }

        /// <summary>The typed .NET values of the record: what its object's properties start as.</summary>
        public IEnumerable<KeyValuePair<string, object>> TypedValues()
        {
            foreach (var property in Original.Properties())
            {
                var field = Entity.Find(property.Name)
                            ?? new CrmFieldDefinition(property.Name, property.Name, CrmFieldType.Other);
                yield return new KeyValuePair<string, object>(property.Name, CrmValueConverter.FromApi(field, property.Value));
            }
        }

        /// <summary>A field's value as it would be sent (normalised through its type), for comparing
        /// with a new value; multi-fields as read. Null when the record was read without the field.</summary>
        public JToken ApiValue(string apiName)
        {
            if (!Original.TryGetValue(apiName, StringComparison.OrdinalIgnoreCase, out var token)) return null;
            var field = Entity.Find(apiName);
            if (field == null || field.Type == CrmFieldType.MultiField) return token.DeepClone();
            try
            {
                return CrmValueConverter.ToApi(field, CrmValueConverter.FromApi(field, token));
            }
            catch (CrmFieldException)
            {
                return token.DeepClone();
            }
        }

        /// <summary>
        /// Adds to <paramref name="patch"/> every field whose current value differs from the snapshot.
        /// Properties that are not fields of the entity, and changes to read-only fields, are refused.
        /// </summary>
        public void AddChanges(CrmPatch patch, IEnumerable<KeyValuePair<string, object>> currentValues)
        {
            if (Entity.PipelineField != null && int.TryParse((string)Original[Entity.PipelineField], out var pipeline)) patch.KnownPipeline = pipeline;
            foreach (var pair in currentValues)
            {
                var name = Entity.ApiNameOf(pair.Key);
                var known = Entity.Find(name);
                var inOriginal = Original.TryGetValue(name, StringComparison.OrdinalIgnoreCase, out var originalToken);
                // A key the portal answered that the module does not know (HAS_PHONE, ADDRESS_LOC_ADDR_ID …), left as read, is no change.
                if (known == null && inOriginal && SameValue(CrmValueConverter.FromApi(new CrmFieldDefinition(name, pair.Key, CrmFieldType.Other), originalToken), pair.Value))
                    continue;
                if (known == null && !CrmFieldCatalog.IsCustomFieldName(name))
                {
                    var closest = Entity.ClosestNames(name);
                    var hint = closest.Count > 0 ? $" Did you mean {string.Join(" or ", closest)}?" : "";
                    throw new CrmFieldException(pair.Key, $"the object has a property '{pair.Key}' that is not a {Entity.RecordNoun} field; remove it or name a real field.{hint}", Id, Entity.Name);
                }

                var field = known ?? new CrmFieldDefinition(name.ToUpperInvariant(), pair.Key, CrmFieldType.Other);
                // Untouched properties are no change, whatever their type (even one that could not be sent).
                if (inOriginal && SameValue(CrmValueConverter.FromApi(field, originalToken), pair.Value)) continue;
                try
                {
                    var current = patch.Convert(field, pair.Value);
                    if (!inOriginal)
                    {
                        if (field.IsReadOnly) continue;
                        patch.Resolve(field.ApiName);
                        patch.SetApiValue(field.ApiName, current, null);
                        continue;
                    }

                    if (field.Type == CrmFieldType.MultiField)
                    {
                        var changes = MultiFieldChanges(field.ApiName, originalToken as JArray ?? new JArray(), (JArray)current);
                        if (changes.Count > 0) patch.SetApiValue(field.ApiName, changes, originalToken);
                        continue;
                    }

                    JToken before;
                    try { before = patch.Convert(field, CrmValueConverter.FromApi(field, originalToken)); }
                    catch (CrmFieldException) { before = originalToken; }   // a value the portal holds but we would refuse
                    if (JToken.DeepEquals(before, current)) continue;
                    if (field.IsReadOnly)
                        throw new CrmFieldException(field.ApiName, "is read-only; the portal maintains it, so the new value would be ignored. Undo the change to this property.", Id, Entity.Name);
                    patch.Resolve(field.ApiName);
                    patch.SetApiValue(field.ApiName, current, before);
                }
                catch (CrmFieldException ex)
                {
                    throw ex.ForRecord(Entity, Id);
                }
            }
        }

        private static bool SameValue(object original, object current)
        {
            if (original == null || current == null) return original == null && (current == null || current is string s && s.Length == 0);
            if (original is System.Collections.IEnumerable a && !(original is string) && current is System.Collections.IEnumerable b && !(current is string))
            {
                var left = a.Cast<object>().ToList();
                var right = b.Cast<object>().ToList();
                return left.Count == right.Count && left.Zip(right, (x, y) => x is MultiFieldValue m ? m.SameAs(y as MultiFieldValue) : SameValue(x, y)).All(same => same);
            }
            return original.Equals(current);
        }

        /// <summary>
        /// The entries that turn the record's values into the edited list: changed values by ID, new ones
        /// without ID, and an explicit DELETE for every value that disappeared from the list.
        /// </summary>
        internal JArray MultiFieldChanges(string field, JArray before, JArray after)
        {
            var originals = before.OfType<JObject>().Where(e => e["ID"] != null)
                                  .ToDictionary(e => (string)e["ID"], e => e);
            var kept = new HashSet<string>();
            var changes = new JArray();
            foreach (var entry in after.Cast<JObject>())
            {
                var id = (string)entry["ID"];
                if (id == null) { changes.Add(entry); continue; }
                if (!originals.TryGetValue(id, out var original))
                    throw new CrmFieldException(field, $"the list names value ID {id}, which this {Entity.ApiName} does not have.", Id, Entity.Name);
                kept.Add(id);
                if ((string)entry["DELETE"] == "Y") { changes.Add(entry); continue; }
                var sameText = (string)entry["VALUE"] == (string)original["VALUE"];
                var sameType = entry["VALUE_TYPE"] == null ||
                               string.Equals((string)entry["VALUE_TYPE"], (string)original["VALUE_TYPE"], StringComparison.OrdinalIgnoreCase);
                if (!(sameText && sameType)) changes.Add(entry);
            }
            foreach (var gone in originals.Keys.Where(id => !kept.Contains(id)))
                changes.Add(new JObject { ["ID"] = gone, ["DELETE"] = "Y" });
            return changes;
        }
    }
}
