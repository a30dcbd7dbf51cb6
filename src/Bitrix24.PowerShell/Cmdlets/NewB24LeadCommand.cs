using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Objects;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Crm.Leads;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Creates leads with crm.lead.add: from the field parameters, or one per hashtable or CSV row from
    /// the pipeline (many go 50 per batch request). Writes each new lead as read back, or its id.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "B24Lead", SupportsShouldProcess = true)]
    [OutputType(LeadObjects.TypeName)]
    [OutputType(typeof(int))]
    public sealed class NewB24LeadCommand : B24LeadFieldsCmdlet
    {
        /// <summary>A hashtable or object (CSV row) whose properties are the new lead's fields.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject InputObject { get; set; }

        /// <summary>Write only the new lead's id instead of reading the lead back.</summary>
        [Parameter]
        public SwitchParameter IdOnly { get; set; }

        private LeadsClient _leads;
        private int _nextKey;
        private readonly List<int> _created = new List<int>();

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _leads = new LeadsClient(ActiveConnection.Client);
            StartBulk(ActiveConnection.Client, "Creating Bitrix24 leads", "lead(s) created", OnCreated, () => WriteCreated(false));
        }

        protected override void ProcessRecord()
        {
            LeadPatch lead;
            var label = "new lead";
            try
            {
                lead = LeadPatch.ForNewLead();
                lead.Schema = Schema;
                lead.WithoutAddress = ActiveConnection.LeadApi == LeadApi.Item;
                lead.RegisterSonetEvent = RegisterSonetEvent;
                if (InputObject != null)
                    foreach (var pair in InputFields(InputObject)) lead.Set(pair.Key, pair.Value);
                AddGivenFields(lead);
                if (lead.IsEmpty)
                    throw new LeadFieldException(null, "nothing to create: give fields (e.g. -Title 'Website enquiry') or pipe hashtables or CSV rows with fields.");
                label = lead.FieldValue("TITLE") is Newtonsoft.Json.Linq.JToken title ? $"new lead '{title}'" : $"new lead #{_nextKey + 1}";
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, InputObject?.BaseObject ?? label);
                return;
            }

            if (!ShouldProcess(label, "Create with " + lead.Describe())) return;
            var command = _leads.AddCommand(lead, -(++_nextKey));
            command.Target = label;
            QueueBulk(command);
        }

        protected override void EndProcessing()
        {
            CompleteBulk();
            WriteCreated(true);
        }

        private void OnCreated(BulkOutcome outcome)
        {
            var id = _leads.NewLeadId(outcome.Result) ?? 0;
            if (IdOnly) WriteObject(id);
            else _created.Add(id);
        }

        /// <summary>Reads new leads back 50 at a time as they are created.</summary>
        private void WriteCreated(bool all)
        {
            while (_created.Count >= BulkRunner.ChunkSize || all && _created.Count > 0)
            {
                var ids = _created.Take(BulkRunner.ChunkSize).ToList();
                _created.RemoveRange(0, ids.Count);
                try
                {
                    foreach (var lead in Await((cancel, log) => _leads.GetManyAsync(ids, cancel, log)))
                        WriteObject(LeadObjects.Create(lead));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteB24Error(ex, ids.ToArray());
                }
            }
        }
    }
}
