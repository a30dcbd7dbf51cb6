using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.PowerShell.Objects;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Crm.Leads;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Changes leads with crm.lead.update, sending only the fields given: by -Id with field parameters,
    /// or from the pipeline (lead objects send their edits, hashtables and CSV rows their ID and fields).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "B24Lead", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
    [OutputType(LeadObjects.TypeName)]
    public sealed class SetB24LeadCommand : B24LeadFieldsCmdlet
    {
        private const string IdSet = "Id";
        private const string InputSet = "InputObject";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        /// <summary>A Bitrix24.Lead (its edits are sent), a hashtable or object with ID and fields, or a lead id.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public PSObject InputObject { get; set; }

        /// <summary>The -Phone, -Email, -Web, -Im and -Link values given are the whole new lists: values the
        /// lead has that are not given are removed, given ones it lacks are added, the rest kept.</summary>
        [Parameter]
        public SwitchParameter ReplaceMultiFields { get; set; }

        /// <summary>Write each lead as read back after the update.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private readonly List<int> _readBack = new List<int>();

        private LeadsClient _leads;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _leads = new LeadsClient(ActiveConnection.Client);
            StartBulk(ActiveConnection.Client, "Updating Bitrix24 leads", "lead(s) updated", OnUpdated, PassThru ? (Action)(() => WriteReadBack(false)) : null);
            BulkRunner.ReadCurrent = _leads.ReadCurrentAsync;
        }

        protected override void ProcessRecord()
        {
            var leads = _leads;
            if (ParameterSetName == IdSet)
            {
                BulkExpectedTotal = (BulkExpectedTotal ?? 0) + Id.Length;
                foreach (var id in Id) Queue(leads, id, null);
                return;
            }

            // A collection given as -InputObject $leads (not piped) is known in full: its count is the total.
            if (InputObject?.BaseObject is IEnumerable items && !(items is string) && !(items is IDictionary))
            {
                var list = items.Cast<object>().Select(PSObject.AsPSObject).ToList();
                BulkExpectedTotal = (BulkExpectedTotal ?? 0) + list.Count;
                foreach (var item in list) Queue(leads, LeadIdOf(item), item);
                return;
            }
            if (BulkExpectedTotal == null && LeadObjects.ListTotalOf(InputObject) is int listTotal) BulkExpectedTotal = listTotal;
            Queue(leads, LeadIdOf(InputObject), InputObject);
        }

        protected override void EndProcessing()
        {
            ShowWhatIf();
            CompleteBulk();
            if (PassThru) WriteReadBack(true);
        }

        /// <summary>Builds, checks and queues one lead's patch; a bad one is reported and the rest go on.</summary>
        private void Queue(LeadsClient leads, int? leadId, PSObject input)
        {
            LeadPatch patch;
            try
            {
                patch = BuildPatch(leadId ?? 0, input);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, leadId);
                return;
            }

            if (patch.IsEmpty)
            {
                WriteVerbose($"Lead {patch.Id}: nothing changed; nothing sent.");
                if (PassThru && LeadObjects.SnapshotOf(input) != null) WriteObject(input);
                return;
            }

            var snapshot = LeadObjects.SnapshotOf(input);
            if (snapshot != null) AddOldValues(patch, snapshot);
            else if (IsWhatIf)
            {
                // Show old -> new: read the current values, 50 leads per request, before the What if lines.
                _whatIf.Add(patch);
                if (_whatIf.Count >= BulkRunner.ChunkSize) ShowWhatIf();
                return;
            }
            ConfirmAndQueue(leads, patch);
        }

        private readonly List<LeadPatch> _whatIf = new List<LeadPatch>();

        private bool? _isWhatIf;
        private bool IsWhatIf => _isWhatIf ?? (bool)(_isWhatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? ((SwitchParameter)whatIf).IsPresent
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")));

        private void ConfirmAndQueue(LeadsClient leads, LeadPatch patch)
        {
            // The engine decides for every lead: -WhatIf, -Confirm and their preferences in every scope.
            if (!ShouldProcess($"Lead {patch.Id}", "Update " + patch.Describe())) return;
            QueueBulk(leads.UpdateCommand(patch, Log));
        }

        private void ShowWhatIf()
        {
            if (_whatIf.Count == 0) return;
            var leads = new LeadsClient(ActiveConnection.Client);
            try
            {
                var current = Await((cancel, log) => leads.GetManyAsync(_whatIf.Select(p => p.Id).Distinct().ToList(), cancel, log))
                              .ToDictionary(l => l.Id);
                for (var i = 0; i < _whatIf.Count; i++)
                {
                    if (!current.TryGetValue(_whatIf[i].Id, out var lead)) continue;
                    AddOldValues(_whatIf[i], lead);
                    if (!_whatIf[i].NeedsCurrentLead) continue;
                    // Show what would really be sent: the completed address, the resolved phone entries.
                    var notes = new List<string>();
                    _whatIf[i] = _whatIf[i].Prepared(lead.Original, notes);
                    AddOldValues(_whatIf[i], lead);
                    foreach (var note in notes) WriteVerbose(note);
                }
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteVerbose($"Could not read the current values to show them ({ex.Message}).");
            }
            foreach (var patch in _whatIf) ConfirmAndQueue(leads, patch);
            _whatIf.Clear();
        }

        private void OnUpdated(BulkOutcome outcome)
        {
            if (PassThru) _readBack.Add(outcome.Command.LeadId);
        }

        /// <summary>-PassThru: reads updated leads back 50 at a time as they finish, not all at the end.</summary>
        private void WriteReadBack(bool all)
        {
            while (_readBack.Count >= BulkRunner.ChunkSize || all && _readBack.Count > 0)
            {
                var ids = _readBack.Take(BulkRunner.ChunkSize).ToList();
                _readBack.RemoveRange(0, ids.Count);
                try
                {
                    var leads = new LeadsClient(ActiveConnection.Client);
                    foreach (var lead in Await((cancel, log) => leads.GetManyAsync(ids, cancel, log)))
                        WriteObject(LeadObjects.Create(lead));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteB24Error(ex, ids.Count == 1 ? (object)ids[0] : ids.ToArray());
                }
            }
        }

        /// <summary>The patch for one lead: what the input object carries, then -Fields, then the typed
        /// parameters (an explicit parameter wins).</summary>
        private LeadPatch BuildPatch(int id, PSObject input)
        {
            if (id <= 0)
                throw new LeadFieldException("ID", input == null
                    ? "no lead id was given."
                    : $"the input has no lead ID. Pipe Bitrix24.Lead objects, lead ids, or objects/hashtables with an ID property (got {Describe(input)}).");
            var patch = new LeadPatch(id)
            {
                RegisterSonetEvent = RegisterSonetEvent, Schema = Schema, ReplaceMultiFields = ReplaceMultiFields,
                WithoutAddress = ActiveConnection.LeadApi == LeadApi.Item,
            };

            var snapshot = LeadObjects.SnapshotOf(input);
            if (snapshot != null)
                snapshot.AddChanges(patch, LeadObjects.CurrentValues(input));
            else if (input != null && !IsBareId(input))
                foreach (var pair in InputFields(input)) patch.Set(pair.Key, pair.Value);

            AddGivenFields(patch);

            if (patch.IsEmpty && snapshot == null)
                throw new LeadFieldException(null, "nothing to change: give field parameters (e.g. -StatusId IN_PROCESS), -Fields, or pipe objects with fields.", id);
            return patch;
        }

        private static bool IsBareId(PSObject input) => !(input.BaseObject is IDictionary) && !(input.BaseObject is PSCustomObject);

        private static int? LeadIdOf(PSObject input)
        {
            var snapshot = LeadObjects.SnapshotOf(input);
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

        /// <summary>Old values for -WhatIf and verbose: from the piped lead, else read for -WhatIf.</summary>
        private static void AddOldValues(LeadPatch patch, LeadSnapshot current)
        {
            if (current == null) return;
            foreach (var name in patch.FieldNames)   // setting old values leaves the field list as it is
            {
                var old = current.ApiValue(name);
                if (old != null) patch.SetOldValue(name, old);
            }
        }

        private static string Describe(PSObject input)
        {
            var text = input?.ToString() ?? "(null)";
            return text.Length > 80 ? text.Substring(0, 80) + "…" : text;
        }
    }
}
