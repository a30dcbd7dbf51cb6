using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Objects;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// Set-B24Lead, Set-B24Deal …: changes records with crm.&lt;entity&gt;.update, sending only the fields
    /// given: by -Id with field parameters, or from the pipeline (record objects send their edits,
    /// hashtables and CSV rows their ID and fields). Many go 50 per batch request at the portal's pace.
    /// </summary>
    public abstract class B24SetEntityCmdlet<TFields> : B24FieldsCmdlet<TFields> where TFields : class, new()
    {
        /// <summary>The default parameter set of every Set- cmdlet.</summary>
        public const string IdSet = "Id";
        private const string InputSet = "InputObject";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(Completers.RecordIdCompleter))]
        public int[] Id { get; set; }

        /// <summary>A record object of the entity (its edits are sent), a hashtable or object with ID and fields, or an id.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public PSObject InputObject { get; set; }

        /// <summary>The -Phone, -Email, -Web, -Im and -Link values given are the whole new lists: values the
        /// record has that are not given are removed, given ones it lacks are added, the rest kept.</summary>
        [Parameter]
        public SwitchParameter ReplaceMultiFields { get; set; }

        /// <summary>Write each record as read back after the update.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private readonly List<int> _readBack = new List<int>();

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            StartBulk(ActiveConnection.Client, $"Updating Bitrix24 {Entity.Plural}", $"{Entity.ApiName}(s) updated", OnUpdated,
                      PassThru ? (Action)(() => WriteReadBack(false)) : null, Entity.Plural);
            BulkRunner.ReadCurrent = Records.ReadCurrentAsync;
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == IdSet)
            {
                BulkExpectedTotal = (BulkExpectedTotal ?? 0) + Id.Length;
                foreach (var id in Id) Queue(id, null);
                return;
            }

            // A collection given as -InputObject $records (not piped) is known in full: its count is the total.
            if (InputObject?.BaseObject is IEnumerable items && !(items is string) && !(items is IDictionary))
            {
                var list = items.Cast<object>().Select(PSObject.AsPSObject).ToList();
                BulkExpectedTotal = (BulkExpectedTotal ?? 0) + list.Count;
                foreach (var item in list) Queue(RecordIdOf(item), item);
                return;
            }
            if (BulkExpectedTotal == null && CrmObjects.ListTotalOf(InputObject) is int listTotal) BulkExpectedTotal = listTotal;
            Queue(RecordIdOf(InputObject), InputObject);
        }

        protected override void EndProcessing()
        {
            ShowWhatIf();
            CompleteBulk();
            WarnOfLeftOutColumns();
            if (PassThru) WriteReadBack(true);
        }

        /// <summary>Builds, checks and queues one record's patch; a bad one is reported and the rest go on.</summary>
        private void Queue(int? recordId, PSObject input)
        {
            CrmPatch patch;
            try
            {
                patch = BuildPatch(recordId ?? 0, input);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, recordId);
                return;
            }

            if (patch.IsEmpty)
            {
                WriteVerbose($"{Entity.Name} {patch.Id}: nothing changed; nothing sent.");
                if (PassThru && CrmObjects.SnapshotOf(input, Entity) != null) WriteObject(input);
                return;
            }

            var snapshot = CrmObjects.SnapshotOf(input, Entity);
            if (snapshot != null) AddOldValues(patch, snapshot);
            else if (IsWhatIf)
            {
                // Show old -> new: read the current values, 50 records per request, before the What if lines.
                _whatIf.Add(patch);
                if (_whatIf.Count >= BulkRunner.ChunkSize) ShowWhatIf();
                return;
            }
            ConfirmAndQueue(patch);
        }

        private readonly List<CrmPatch> _whatIf = new List<CrmPatch>();

        private bool? _isWhatIf;
        private bool IsWhatIf => _isWhatIf ?? (bool)(_isWhatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? ((SwitchParameter)whatIf).IsPresent
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")));

        private void ConfirmAndQueue(CrmPatch patch)
        {
            // The engine decides for every record: -WhatIf, -Confirm and their preferences in every scope.
            if (!ShouldProcess($"{Entity.Name} {patch.Id}", "Update " + patch.Describe())) return;
            QueueBulk(Records.UpdateCommand(patch, Log));
        }

        /// <summary>-WhatIf for records given by id: reads them (50 per request) to show old -> new and what
        /// would really be sent; a record the real run would refuse (a stage of another pipeline, an
        /// unknown multi-field ID) is reported as its error, not shown as an update.</summary>
        private void ShowWhatIf()
        {
            if (_whatIf.Count == 0) return;
            var patches = _whatIf.ToList();
            _whatIf.Clear();
            IDictionary<int, CrmSnapshot> current;
            try
            {
                current = Await((cancel, log) => Records.GetManyAsync(patches.Select(p => p.Id).Distinct().ToList(), cancel, log))
                          .ToDictionary(r => r.Id);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteVerbose($"Could not read the current values to show them ({ex.Message}).");
                current = new Dictionary<int, CrmSnapshot>();
            }
            foreach (var read in patches)
            {
                var patch = read;
                if (current.TryGetValue(patch.Id, out var record))
                {
                    AddOldValues(patch, record);
                    if (patch.NeedsCurrentRecord)
                    {
                        // Show what would really be sent: the completed address, the resolved phone entries.
                        var notes = new List<string>();
                        try { patch = patch.Prepared(record.Original, notes); }
                        catch (CrmFieldException ex)
                        {
                            WriteB24Error(ex, patch.Id);
                            continue;
                        }
                        AddOldValues(patch, record);
                        foreach (var note in notes) WriteVerbose(note);
                    }
                }
                ConfirmAndQueue(patch);
            }
        }

        private void OnUpdated(BulkOutcome outcome)
        {
            if (PassThru) _readBack.Add(outcome.Command.RecordId);
        }

        /// <summary>-PassThru: reads updated records back 50 at a time as they finish, not all at the end.</summary>
        private void WriteReadBack(bool all) => WriteReadBack(_readBack, all);

        /// <summary>The patch for one record: what the input object carries, then -Fields, then the typed
        /// parameters (an explicit parameter wins).</summary>
        private CrmPatch BuildPatch(int id, PSObject input)
        {
            var other = CrmObjects.EntityOf(input);
            if (other != null && !other.IsSame(Entity))
                throw new CrmFieldException("ID", $"a {other.TypeName} was given; {MyInvocation.MyCommand.Name} changes {Describe(Entity)} (pipe it to " +
                                                  (other.IsSmartProcess ? $"Set-B24Item -EntityTypeId {other.EntityTypeId}" : "Set-B24" + other.Name) + ").", null, Entity.Name);
            if (id <= 0)
                throw new CrmFieldException("ID", input == null
                    ? $"no {Entity.ApiName} id was given."
                    : $"the input has no {Entity.ApiName} ID. Pipe {Entity.TypeName} objects, {Entity.ApiName} ids, or objects/hashtables with an ID property (got {Describe(input)}).", null, Entity.Name);
            var patch = NewPatch(id);
            patch.ReplaceMultiFields = ReplaceMultiFields;

            var snapshot = CrmObjects.SnapshotOf(input, Entity);
            if (snapshot != null)
                snapshot.AddChanges(patch, CrmObjects.CurrentValues(input));
            else if (input != null && !IsBareId(input))
                AddRowFields(patch, input);

            AddGivenFields(patch);

            if (patch.IsEmpty && snapshot == null)
                throw new CrmFieldException(null, "nothing to change: give field parameters (e.g. -Title 'New title'), -Fields, or pipe objects with fields.", id, Entity.Name);
            return patch;
        }

        private static bool IsBareId(PSObject input) => !(input.BaseObject is IDictionary) && !(input.BaseObject is PSCustomObject);

        private int? RecordIdOf(PSObject input)
        {
            var snapshot = CrmObjects.SnapshotOf(input, Entity);
            if (snapshot != null) return snapshot.Id;
            object raw;
            switch (input?.BaseObject)
            {
                case IDictionary dictionary:
                    // PowerShell's @{} ignores case, so "ID" finds Id and id at once; other dictionaries are searched.
                    raw = dictionary.Contains("ID") ? dictionary["ID"] : FindId(dictionary);
                    break;
                case PSCustomObject _:
                    raw = input.Properties["ID"]?.Value;
                    break;
                default:
                    raw = input?.BaseObject;
                    break;
            }
            raw = PSValue.Unwrap(raw);
            if (raw is int i) return i;
            if (raw is long l && l > 0 && l <= int.MaxValue) return (int)l;
            if (raw is string s && int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
            return null;
        }

        private static object FindId(IDictionary dictionary) =>
            dictionary.Keys.Cast<object>().Where(k => string.Equals(k?.ToString(), "ID", StringComparison.OrdinalIgnoreCase))
                      .Select(k => dictionary[k]).FirstOrDefault();

        /// <summary>Old values for -WhatIf and verbose: from the piped record, else read for -WhatIf.</summary>
        private static void AddOldValues(CrmPatch patch, CrmSnapshot current)
        {
            if (current == null) return;
            foreach (var name in patch.FieldNames)   // setting old values leaves the field list as it is
            {
                var old = current.ApiValue(name);
                if (old != null) patch.SetOldValue(name, old);
            }
        }

        private static string Describe(CrmEntity entity) =>
            entity.IsSmartProcess ? $"items of {entity.Name} (entityTypeId {entity.EntityTypeId})" : entity.Plural;

        private static string Describe(PSObject input)
        {
            var text = input?.ToString() ?? "(null)";
            return text.Length > 80 ? text.Substring(0, 80) + "…" : text;
        }
    }
}
