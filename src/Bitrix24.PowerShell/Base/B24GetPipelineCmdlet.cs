using System;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Completers;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>Get-B24DealPipeline, Get-B24ItemPipeline: an entity's pipelines (crm.category.list) with their
    /// stages (crm.status.list). Named after what users call them; the API calls them categories.</summary>
    public abstract class B24GetPipelineCmdlet : B24ConnectedCmdlet
    {
        protected abstract CrmEntity Entity { get; }

        /// <summary>Pipeline ids (CATEGORY_ID) to show; all by default.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("CATEGORY_ID", "CategoryId")]
        [ArgumentCompleter(typeof(PipelineCompleter))]
        public int[] Id { get; set; }

        /// <summary>Read from the portal again instead of the cached copy.</summary>
        [Parameter]
        [Alias("Force")]   // the name scripts may still use; -Refresh is PowerShell's word for this (Get-Module -Refresh)
        public SwitchParameter Refresh { get; set; }

        private CrmSchema _schema;

        protected override void ProcessRecord()
        {
            try
            {
                _schema = _schema ?? Await((cancel, log) => CrmSchema.GetAsync(ActiveConnection.Client, Entity, cancel, log, refresh: Refresh));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowB24Error(ex, ActiveConnection.Portal);
                return;
            }
            foreach (var pipeline in _schema.Pipelines.Where(p => Id == null || Id.Contains(p.Id)))
            {
                var item = new PSObject();
                item.TypeNames.Insert(0, "Bitrix24.Pipeline");
                if (Entity.IsSmartProcess) item.Properties.Add(new PSNoteProperty("EntityTypeId", Entity.EntityTypeId));
                item.Properties.Add(new PSNoteProperty("Id", pipeline.Id));
                item.Properties.Add(new PSNoteProperty("Name", pipeline.Name));
                item.Properties.Add(new PSNoteProperty("IsDefault", pipeline.IsDefault));
                item.Properties.Add(new PSNoteProperty("Sort", pipeline.Sort));
                item.Properties.Add(new PSNoteProperty("Stages", _schema.Directory(Entity.StageDirectory(pipeline.Id)).ToArray()));
                WriteObject(item);
            }
            foreach (var missing in (Id ?? new int[0]).Where(i => _schema.Pipelines.All(p => p.Id != i)))
                WriteB24Error(new ArgumentException($"The portal has no {Entity.Name} pipeline {missing}; its pipelines are {string.Join(", ", _schema.Pipelines)}."), missing);
        }
    }
}
