using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// What every cmdlet that writes CRM records shares (Set- and New- of every entity): the entity's
    /// typed field parameters (a <typeparamref name="TFields"/> object, one property per documented field,
    /// offered as dynamic parameters so Set and New of one entity declare them once), -Fields,
    /// -RegisterSonetEvent, and the portal's schema that checks them.
    /// </summary>
    public abstract class B24FieldsCmdlet<TFields> : B24ConnectedCmdlet, IDynamicParameters where TFields : class, new()
    {
        private readonly TFields _fieldParameters = new TFields();

        /// <summary>The entity these cmdlets write.</summary>
        protected abstract CrmEntity Entity { get; }

        /// <summary>Any other fields by API name (custom UF_ fields, PARENT_ID_ relations).</summary>
        [Parameter]
        public IDictionary Fields { get; set; }

        /// <summary>params.REGISTER_SONET_EVENT: Y records the change in the activity stream; -RegisterSonetEvent:$false sends N.</summary>
        [Parameter]
        public SwitchParameter RegisterSonetEvent { get; set; }

        public object GetDynamicParameters() => _fieldParameters;

        /// <summary>The typed field parameters as bound (Set-B24Item reads its CRM type from them).</summary>
        protected TFields GivenFieldParameters => _fieldParameters;

        /// <summary>The portal's field schema (null if it could not be read: documented fields only).</summary>
        protected CrmSchema Schema { get; private set; }

        /// <summary>The client of the entity on the connection's route.</summary>
        protected CrmClient Records { get; private set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Schema = ReadSchema(ActiveConnection.Client, Entity);
            Records = new CrmClient(ActiveConnection.Client, Entity);
            ResolveUsers(typeof(TFields).GetProperties()
                .Where(p => p.PropertyType == typeof(Parameters.UserReference) && ParameterSpecified(p.Name))
                .Select(p => (Parameters.UserReference)p.GetValue(_fieldParameters)));
        }

        /// <summary>A patch of record <paramref name="id"/> (0: a new record) set up with the schema, the route and the params given.</summary>
        protected CrmPatch NewPatch(int id)
        {
            var patch = id == 0 ? CrmPatch.ForNew(Entity) : new CrmPatch(Entity, id);
            patch.Schema = Schema;
            patch.ResolvePath = path => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            patch.WithoutAddress = ActiveConnection.Api == CrmApi.Item;
            patch.RegisterSonetEvent = ParameterSpecified(nameof(RegisterSonetEvent)) ? RegisterSonetEvent.IsPresent : (bool?)null;
            if (_fieldParameters is Parameters.IHistoryEventFields history && ParameterSpecified(nameof(history.RegisterHistoryEvent)))
                patch.RegisterHistoryEvent = history.RegisterHistoryEvent.IsPresent;
            return patch;
        }

        /// <summary>Each field class's parameters, found once: property and the entity's field.</summary>
        private static readonly ConcurrentDictionary<(Type, CrmEntity), (PropertyInfo Property, CrmFieldDefinition Field)[]> FieldParameters =
            new ConcurrentDictionary<(Type, CrmEntity), (PropertyInfo, CrmFieldDefinition)[]>();

        /// <summary>The field parameters given on the command line (the same for every record).</summary>
        private List<(PropertyInfo Property, CrmFieldDefinition Field)> _givenFields;

        private static int FieldOrder(CrmEntity entity, CrmFieldDefinition field)
        {
            for (var i = 0; i < entity.Fields.Count; i++)
                if (ReferenceEquals(entity.Fields[i], field)) return i;
            return int.MaxValue;
        }

        /// <summary>Adds -Fields, then the typed field parameters (which win), to <paramref name="patch"/>.</summary>
        protected void AddGivenFields(CrmPatch patch)
        {
            if (Fields != null)
                foreach (var pair in PSValue.Pairs(Fields)) patch.Set(pair.Key, PSValue.Unwrap(pair.Value));

            if (_givenFields == null)
            {
                // In the entity's field order (each entity file lists its fields as the update page's example does),
                // not the order reflection happens to give: the documented examples go out as written.
                var all = FieldParameters.GetOrAdd((typeof(TFields), Entity), key => key.Item1.GetProperties()
                    .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any())
                    .Select(p => (Property: p, Field: key.Item2.Find(p.Name)))
                    .Where(x => x.Field != null && !x.Field.IsReadOnly)
                    .OrderBy(x => FieldOrder(key.Item2, x.Field))
                    .ToArray());
                _givenFields = all.Where(p => ParameterSpecified(p.Property.Name)).ToList();
                // A CRM type's fields are the portal's: a shared parameter it lacks is said, not dropped.
                var lacking = Entity.IsSmartProcess
                    ? typeof(TFields).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)   // not the type's own -EntityTypeId, -Type
                                     .FirstOrDefault(p => ParameterSpecified(p.Name) && Entity.Find(p.Name) == null)
                    : null;
                if (lacking != null)
                {
                    _givenFields = null;
                    throw new CrmFieldException("-" + lacking.Name, $"{Entity.Name} (entityTypeId {Entity.EntityTypeId}) has no such field; Get-B24ItemField -EntityTypeId {Entity.EntityTypeId} lists its fields.", null, Entity.Name);
                }
            }
            foreach (var (property, field) in _givenFields)
            {
                var value = property.GetValue(_fieldParameters);
                patch.Set(field.ApiName, value is Parameters.UserReference user ? user.Id : PSValue.Unwrap(value));
            }
        }

        /// <summary>Writes the records of <paramref name="ids"/> as read back, 50 per request, as soon as 50
        /// are waiting (all of them when <paramref name="all"/>), and takes them off the list.</summary>
        protected void WriteReadBack(List<int> ids, bool all)
        {
            while (ids.Count >= Bitrix24.Rest.Batch.BulkRunner.ChunkSize || all && ids.Count > 0)
            {
                var chunk = ids.Take(Bitrix24.Rest.Batch.BulkRunner.ChunkSize).ToList();
                ids.RemoveRange(0, chunk.Count);
                try
                {
                    foreach (var record in Await((cancel, log) => Records.GetManyAsync(chunk, cancel, log)))
                        WriteObject(Objects.CrmObjects.Create(record));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteB24Error(ex, chunk.Count == 1 ? (object)chunk[0] : chunk.ToArray());
                }
            }
        }

        private readonly SortedSet<string> _portalColumns = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Adds a piped row's fields to <paramref name="patch"/>; the columns that carry the portal's own values back
        /// (an export's read-only columns, the files records hold) are left out and named once, at the end.</summary>
        protected void AddRowFields(CrmPatch patch, PSObject input)
        {
            foreach (var pair in InputFields(input))
                if (!patch.SetFromRow(pair.Key, pair.Value)) _portalColumns.Add(pair.Key);
        }

        /// <summary>One warning naming the columns <see cref="AddRowFields"/> left out, if any.</summary>
        protected void WarnOfLeftOutColumns()
        {
            if (_portalColumns.Count > 0)
                WriteWarning($"Left out the columns that carry the portal's own values back (read-only fields, files it holds): {string.Join(", ", _portalColumns)}.");
        }

        /// <summary>Fields of a hashtable or plain object (CSV row): every entry but the id. An empty CSV
        /// cell means "leave as is"; clearing a field is said with -Fields @{ NAME = '' }.</summary>
        protected static IEnumerable<KeyValuePair<string, object>> InputFields(PSObject input)
        {
            // The entries are read where they are (no copy of the hashtable for every record).
            var fromCsvRow = !(input.BaseObject is IDictionary);
            var table = input.BaseObject as IDictionary ?? PSValue.PropertiesOf(input);
            var entries = table.GetEnumerator();   // Key and Value without boxing each entry
            while (entries.MoveNext())
            {
                var name = Convert.ToString(entries.Key, CultureInfo.InvariantCulture);
                if (string.Equals(name, "ID", StringComparison.OrdinalIgnoreCase)) continue;
                var value = PSValue.Unwrap(entries.Value);
                if (fromCsvRow && value is string text && text.Length == 0) continue;
                yield return new KeyValuePair<string, object>(name, value);
            }
        }
    }
}
