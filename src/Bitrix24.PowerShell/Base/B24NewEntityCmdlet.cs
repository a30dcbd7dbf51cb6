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

            if (!ShouldProcess(label, "Create with " + record.Describe())) return;
            var command = Records.AddCommand(record, -(++_nextKey));
            command.Target = label;
            QueueBulk(command);
        }

        protected override void EndProcessing()
        {
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
