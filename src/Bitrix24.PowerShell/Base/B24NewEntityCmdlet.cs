using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Objects;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// New-B24Lead, New-B24Deal …: creates records with crm.&lt;entity&gt;.add, from the field parameters, or
    /// one per hashtable or CSV row from the pipeline (many go 50 per batch request). Writes each new
    /// record as read back, or its id.
    /// </summary>
    /// <summary>What New- does with a record whose phone or e-mail a lead, contact or company already holds.</summary>
    public enum DuplicateAction
    {
        /// <summary>Leave it out (-Verbose names the record that holds the value).</summary>
        Skip,
        /// <summary>Report it as an error naming that record.</summary>
        Error,
    }

    /// <summary>A New- cmdlet of an entity with phones and e-mails: it offers -IfDuplicate.</summary>
    public interface IDuplicateCheck
    {
        DuplicateAction? DuplicateAction { get; }
    }

    public abstract class B24NewEntityCmdlet<TFields> : B24FieldsCmdlet<TFields> where TFields : class, new()
    {
        /// <summary>A hashtable or object (CSV row) whose properties are the new record's fields.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject InputObject { get; set; }

        /// <summary>Write only the new record's id instead of reading the record back.</summary>
        [Parameter]
        public SwitchParameter IdOnly { get; set; }

        private int _nextKey;
        private readonly List<int> _created = new List<int>();

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            StartBulk(ActiveConnection.Client, $"Creating Bitrix24 {Entity.Plural}", $"{Entity.ApiName}(s) created", OnCreated,
                      () => WriteCreated(false), Entity.Plural);
        }

        protected override void ProcessRecord()
        {
            CrmPatch record;
            var label = "new " + Entity.ApiName;
            try
            {
                record = NewPatch(0);
                if (InputObject != null)
                    AddRowFields(record, InputObject);
                AddGivenFields(record);
                if (record.IsEmpty)
                    throw new CrmFieldException(null, $"nothing to create: give fields (e.g. -{(Entity.IsSmartProcess ? "Title" : Entity.Fields[1].ParameterName)} …) or pipe hashtables or CSV rows with fields.", null, Entity.Name);
                var name = record.FieldValue("TITLE") ?? record.FieldValue("NAME");
                label = name != null ? $"new {Entity.ApiName} '{name}'" : $"new {Entity.ApiName} #{_nextKey + 1}";
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, InputObject?.BaseObject ?? label);
                return;
            }

            // With -IfDuplicate the records wait for one look-up of all their phones and e-mails at the end.
            if ((this as IDuplicateCheck)?.DuplicateAction != null) { _held.Add((record, label, InputObject?.BaseObject ?? label)); return; }
            Create(record, label);
        }

        private void Create(CrmPatch record, string label)
        {
            if (!ShouldProcess(label, "Create with " + record.Describe())) return;
            var command = Records.AddCommand(record, -(++_nextKey));
            command.Target = label;
            QueueBulk(command);
        }

        private readonly List<(CrmPatch Record, string Label, object Target)> _held = new List<(CrmPatch, string, object)>();

        /// <summary>
        /// The held records, less those whose phone or e-mail a lead, contact or company already holds, or an earlier
        /// record of this run has: one Find-B24Duplicate look-up for them all (50 values to a request), then created.
        /// </summary>
        private void CreateHeldUnlessDuplicate(DuplicateAction action)
        {
            if (_held.Count == 0) return;
            (string Type, string Value)[] ValuesOf(CrmPatch record) =>
                new[] { "PHONE", "EMAIL" }.SelectMany(type => (record.FieldValue(type) as Newtonsoft.Json.Linq.JArray ?? new Newtonsoft.Json.Linq.JArray())
                    .OfType<Newtonsoft.Json.Linq.JObject>().Where(e => e["ID"] == null && (string)e["DELETE"] != "Y")
                    .Select(e => (type, ((string)e["VALUE"] ?? "").Trim()))).Where(v => v.Item2.Length > 0).ToArray();
            IList<DuplicateMatch> matches;
            try
            {
                matches = Await((cancel, log) => new DuplicateSearch(ActiveConnection.Client).FindAsync(_held.SelectMany(h => ValuesOf(h.Record)), null, cancel, log));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, ActiveConnection.Portal);
                return;
            }
            var earlier = new Dictionary<(string, string), string>();
            foreach (var (record, label, target) in _held)
            {
                var values = ValuesOf(record);
                var found = values.Select(v => matches.FirstOrDefault(m => m.Type == v.Type && m.Value == v.Value)).FirstOrDefault(m => m != null && m.Found);
                var holder = found != null ? $"its {found.Type.ToLowerInvariant()} {found.Value} is on {Holders(found)}"
                           : values.Where(earlier.ContainsKey).Select(v => $"its {v.Type.ToLowerInvariant()} {v.Value} is on {earlier[v]} of this run").FirstOrDefault();
                if (holder == null)
                {
                    foreach (var value in values) earlier[value] = label;
                    Create(record, label);
                }
                else if (action == DuplicateAction.Skip) WriteVerbose($"Skipped {label}: {holder}.");
                else WriteB24Error(new InvalidOperationException($"{label}: {holder}; not created (-IfDuplicate Error; Skip leaves such records out)."), target);
            }
        }

        private static string Holders(DuplicateMatch match) => string.Join(" and ",
            new[] { ("lead", match.LeadIds), ("contact", match.ContactIds), ("company", match.CompanyIds) }
                .Where(h => h.Item2.Count > 0).Select(h => h.Item1 + " " + string.Join(", ", h.Item2)));

        protected override void EndProcessing()
        {
            if ((this as IDuplicateCheck)?.DuplicateAction is DuplicateAction action) CreateHeldUnlessDuplicate(action);
            CompleteBulk();
            WarnOfLeftOutColumns();
            WriteCreated(true);
        }

        private void OnCreated(BulkOutcome outcome)
        {
            var id = Records.NewRecordId(outcome.Result) ?? 0;
            if (IdOnly) WriteObject(id);
            else _created.Add(id);
        }

        /// <summary>Reads new records back 50 at a time as they are created.</summary>
        private void WriteCreated(bool all) => WriteReadBack(_created, all);
    }
}
