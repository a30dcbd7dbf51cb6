using System.Management.Automation;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// Remove-B24Lead, Remove-B24Deal …: deletes records with crm.&lt;entity&gt;.delete (many go 50 per batch
    /// request). ShouldProcess is asked for every record (the cmdlets are ConfirmImpact High: it prompts
    /// unless -Confirm:$false or a lower $ConfirmPreference says not to); past <see cref="ManyRecords"/>
    /// records in one run the cmdlet asks once more, which -Force skips.
    /// </summary>
    public abstract class B24RemoveEntityCmdlet : B24ConnectedCmdlet
    {
        /// <summary>How many deletions one run makes before it asks whether to go on (unless -Force).</summary>
        public const int ManyRecords = 10;

        /// <summary>Ids, or record objects (their ID property) from the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(Completers.RecordIdCompleter))]
        public int[] Id { get; set; }

        /// <summary>Skips the extra question asked before deleting more than ten records in one run.
        /// It never overrides -WhatIf or -Confirm.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected abstract CrmEntity Entity { get; }

        private CrmClient _records;
        private int _approved;
        private bool _declined;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _records = new CrmClient(ActiveConnection.Client, Entity);
            StartBulk(ActiveConnection.Client, $"Removing Bitrix24 {Entity.Plural}", $"{Entity.ApiName}(s) deleted", null, null, Entity.Plural);
        }

        protected override void ProcessRecord()
        {
            foreach (var id in Id)
            {
                if (_declined || !ShouldProcess($"{Entity.Name} {id}", "Delete")) continue;
                if (++_approved == ManyRecords + 1 && !Force &&
                    !ShouldContinue($"More than {ManyRecords} {Entity.Plural} are being deleted in this run. Delete {Entity.ApiName} {id} and the rest?",
                                    $"Delete many {Entity.Plural}"))
                {
                    _declined = true;
                    WriteWarning($"Stopped before {Entity.ApiName} {id}: only the first {ManyRecords} {Entity.Plural} approved are deleted.");
                    continue;
                }
                QueueBulk(_records.DeleteCommand(id));
            }
        }

        protected override void EndProcessing() => CompleteBulk();
    }
}
